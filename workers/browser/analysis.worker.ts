// The preview's analysis Web Worker: answers the page's messages (protocol.ts) by running the
// PreviewAnalyzer with onnxruntime-web sessions (BlazeFace full range and the face mesh on the chosen
// backend, Silero VAD on WASM). Posts `ready` with the backend, `progress` per frame batch, `partial`
// crop paths as the analysed part grows, then the `result`; any failure becomes an `error`.
import * as ort from 'onnxruntime-web';
import { BLAZEFACE_VARIANTS } from '../analysis/blazeface';
import { FACE_MESH_SIZE } from '../analysis/face-mesh-crop';
import { blazeFaceDetections } from '../analysis/face-detections';
import { fillInputTensor } from '../analysis/letterbox';
import { VAD_SAMPLE_RATE, VadFramer } from '../analysis/silero-vad';
import { OnnxSessions } from './onnx-sessions';
import { PreviewAnalyzer, toRgb, type AnalyzerModels } from './preview-analyzer';
import type { Backend, FromWorker, PlanSettings, ToWorker } from './protocol';

const FACE_SIZE = BLAZEFACE_VARIANTS.full.inputSize;
/** A partial crop path at most this often (seconds of wall time): planning is cheap, not free. */
const PARTIAL_EVERY = 0.5;

type Run = { id: number; analyzer: PreviewAnalyzer; plan: PlanSettings; started: number; lastPartial: number };

let sessions: Promise<OnnxSessions> | null = null;
let run: Run | null = null;
/** Messages are handled one after another: frames must reach the analyzer in order. */
let queue: Promise<void> = Promise.resolve();

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  queue = queue
    .then(() => handle(message))
    .catch((e: unknown) => {
      if (run?.id === message.id) run = null;
      post({ type: 'error', id: message.id, message: e instanceof Error ? e.message : String(e) });
    });
};

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'start') {
    sessions ??= OnnxSessions.create(m.backend, m.modelBase, m.wasmBase, m.threads);
    sessions.catch(() => (sessions = null));
    const s = await sessions;
    const models = await analyzerModels(s, m.source);
    run = { id: m.id, analyzer: new PreviewAnalyzer(m.source, models), plan: m.plan, started: performance.now(), lastPartial: 0 };
    post({ type: 'ready', id: m.id, backend: s.facts.backend, threads: s.facts.threads, adapter: s.facts.adapter });
    return;
  }
  if (m.type === 'detect') {
    sessions ??= OnnxSessions.create(m.backend, m.modelBase, m.wasmBase, m.threads);
    sessions.catch(() => (sessions = null));
    const s = await sessions;
    const detect = faceDetector(await s.session('face_detection_full_range'), m.source);
    const detections = await detect(toRgb(m.image), m.image.width, m.image.height);
    post({ type: 'detections', id: m.id, backend: s.facts.backend, detections: detections.map((d) => ({ box: d.box, score: d.score })) });
    return;
  }
  const current = run;
  // A message for a run that was replaced or failed is dropped silently: the page has moved on.
  if (!current || current.id !== m.id) return;
  if (m.type === 'audio') {
    await current.analyzer.pushAudio(m.samples);
  } else if (m.type === 'frames') {
    await current.analyzer.pushFrames(m.frames);
    post({ type: 'progress', id: m.id, progress: current.analyzer.progress() });
    const now = performance.now() / 1000;
    if (now - current.lastPartial >= PARTIAL_EVERY) {
      current.lastPartial = now;
      const partial = current.analyzer.partial(current.plan);
      if (partial) post({ type: 'partial', id: m.id, result: partial });
    }
  } else if (m.type === 'end') {
    await current.analyzer.end();
    post({ type: 'progress', id: m.id, progress: current.analyzer.progress() });
    post({
      type: 'result',
      id: m.id,
      result: current.analyzer.result(current.plan),
      seconds: (performance.now() - current.started) / 1000,
    });
  } else if (m.type === 'replan') {
    // While the analysis runs, the next partial path uses the new settings; once it has ended, a new plan now.
    current.plan = m.plan;
    if (current.analyzer.finished) {
      post({ type: 'result', id: m.id, result: current.analyzer.result(m.plan), seconds: (performance.now() - current.started) / 1000 });
    }
  }
}

async function analyzerModels(s: OnnxSessions, source: { width: number; height: number }): Promise<AnalyzerModels> {
  const [faces, mesh, vad] = await Promise.all([
    s.session('face_detection_full_range'),
    s.session('face_landmark'),
    s.session('silero_vad_v5', 'wasm' satisfies Backend),
  ]);
  const [meshName, presenceName] = mesh.outputNames;
  return {
    detectFaces: faceDetector(faces, source),
    mesh: async (tensor) => {
      const out = await mesh.run({ [mesh.inputNames[0]!]: new ort.Tensor('float32', tensor, [1, FACE_MESH_SIZE, FACE_MESH_SIZE, 3]) });
      const meshData = (await out[meshName!]!.getData()) as Float32Array;
      const presence = (await out[presenceName!]!.getData()) as Float32Array;
      return { mesh: meshData, presenceLogit: presence[0]! };
    },
    vad: (samples) => vadProbabilities(vad, samples),
  };
}

/** BlazeFace full range on one RGB24 frame: the server's tensor fill and decoding, detections in source pixels. */
function faceDetector(session: ort.InferenceSession, source: { width: number; height: number }) {
  const input = new Float32Array(FACE_SIZE * FACE_SIZE * 3);
  return async (rgb: Uint8Array, width: number, height: number) => {
    fillInputTensor(rgb, width, height, FACE_SIZE, 'nhwc', [-1, 1], input);
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, FACE_SIZE, FACE_SIZE, 3]) });
    const tensors = await Promise.all(Object.values(out).map(async (t) => ({ dims: t.dims, data: await t.getData() })));
    return blazeFaceDetections(tensors, 'full', FACE_SIZE, { width, height }, source);
  };
}

/** Silero VAD v5 over 16 kHz mono samples, one probability per 512-sample frame (as workers/node/vad.ts). */
async function vadProbabilities(session: ort.InferenceSession, samples: Float32Array): Promise<Float32Array> {
  const framer = new VadFramer();
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const out: number[] = [];
  const step = async (input: Float32Array) => {
    const r = await session.run({ input: new ort.Tensor('float32', input, [1, input.length]), state, sr });
    state = r.stateN as ort.Tensor;
    out.push((r.output!.data as Float32Array)[0]!);
  };
  for (const f of framer.push(samples)) await step(f);
  for (const f of framer.flush()) await step(f);
  return Float32Array.from(out);
}
