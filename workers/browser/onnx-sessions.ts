// onnxruntime-web sessions for the preview's analysis worker: picks the backend (WebGPU only on a real,
// non-fallback adapter; else WASM with SIMD, with threads on request when the page is cross-origin
// isolated), fetches the models the app serves from public/models/ through the Cache API, and creates one
// shared session per model. Fed model names of public/models/manifest.json; returns sessions and facts.
import type { InferenceSession } from 'onnxruntime-web';
import { loadOrt, type Ort } from './ort-runtime';
import type { Backend, BackendChoice } from './protocol';

type ManifestEntry = { name: string; file: string; sha256: string };

/** The Cache API store; its name changes only if the way models are stored changes. */
const CACHE_NAME = 'reframe-preview-models-v1';

export interface BackendFacts {
  backend: Backend;
  threads: number;
  /** What the GPU adapter said, or why there is none. */
  adapter: string;
}

export class OnnxSessions {
  private manifest: Promise<Map<string, ManifestEntry>> | null = null;
  private readonly sessions = new Map<string, Promise<InferenceSession>>();

  private constructor(
    /** The onnxruntime-web build for the backend (ort-runtime.ts); tensors for these sessions come from it. */
    readonly ort: Ort,
    private readonly modelBase: string,
    readonly facts: BackendFacts,
  ) {}

  /** Configures onnxruntime-web once per worker and decides the backend. */
  static async create(choice: BackendChoice, modelBase: string, wasmBase: string, wanted?: number): Promise<OnnxSessions> {
    const adapter = await probeAdapter();
    const backend: Backend = choice === 'webgpu' || (choice === 'auto' && adapter.real) ? 'webgpu' : 'wasm';
    if (backend === 'webgpu' && !adapter.present) throw new Error(`WebGPU was asked for, but ${adapter.description}`);
    const ort = await loadOrt(backend);
    ort.env.wasm.wasmPaths = wasmBase;
    // Threads need SharedArrayBuffer, which only a cross-origin-isolated page (COOP/COEP) has. One
    // intra-op thread unless asked: for models this small a second one was measured slower, as on the
    // server (the 22 s conversation analysed at 0.38× real time with one thread, 0.19× with two, on this
    // busy 2-core machine), and the page's decoding wants the other core.
    const cores = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
    const threads = self.crossOriginIsolated ? Math.max(1, Math.min(cores, wanted ?? 1)) : 1;
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    return new OnnxSessions(ort, modelBase, { backend, threads: backend === 'wasm' ? threads : 0, adapter: adapter.description });
  }

  /** The shared session for a model; `backend` overrides the run's choice (the VAD's recurrent state
   *  and the mesh's small convolutions are no work for a GPU). */
  session(name: string, backend: Backend = this.facts.backend): Promise<InferenceSession> {
    const key = `${name}@${backend}`;
    let session = this.sessions.get(key);
    if (!session) {
      // The models as built: the server's PRelu rewrite (prelu-rewrite.ts) pays off only in the native
      // provider's blocked layout, which the WASM build lacks; there it doubled the face mesh's time
      // (7.2 → 14.9 ms a run in onnxruntime-web 1.30 on this machine).
      session = this.load(name).then((bytes) =>
        this.ort.InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: 'all' }),
      );
      session.catch(() => this.sessions.delete(key));
      this.sessions.set(key, session);
    }
    return session;
  }

  /** The model's bytes: from the Cache API when this version was fetched before, else fetched and stored. */
  private async load(name: string): Promise<Uint8Array> {
    this.manifest ??= fetch(`${this.modelBase}/manifest.json`)
      .then((r) => {
        if (!r.ok) throw new Error(`models manifest: HTTP ${r.status}`);
        return r.json() as Promise<{ models: ManifestEntry[] }>;
      })
      .then((m) => new Map(m.models.map((e) => [e.name, e])));
    const entry = (await this.manifest).get(name);
    if (!entry) throw new Error(`model ${name} is not in ${this.modelBase}/manifest.json`);
    // The checksum in the URL makes a rebuilt model a new cache entry.
    const url = `${this.modelBase}/${entry.file}?sha256=${entry.sha256}`;
    const cache = 'caches' in self ? await caches.open(CACHE_NAME) : null;
    let response = await cache?.match(url);
    if (!response) {
      response = await fetch(url);
      if (!response.ok) throw new Error(`model ${name}: HTTP ${response.status}`);
      await cache?.put(url, response.clone());
    }
    return new Uint8Array(await response.arrayBuffer());
  }
}

type GpuAdapterLike = { info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string }; isFallbackAdapter?: boolean };

/** Whether navigator.gpu offers an adapter, and whether it is real hardware (not a software fallback). */
async function probeAdapter(): Promise<{ present: boolean; real: boolean; description: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { present: false, real: false, description: 'this browser has no WebGPU' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { present: false, real: false, description: 'WebGPU offers no adapter' };
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const name = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') || 'unnamed';
  return { present: true, real: !fallback, description: `${name} adapter${fallback ? ' (software fallback)' : ''}` };
}
