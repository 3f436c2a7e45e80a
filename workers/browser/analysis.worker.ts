// The preview's analysis Web Worker: answers the page's messages (protocol.ts) by running the
// PreviewAnalyzer with onnxruntime-web sessions (BlazeFace full range and the face mesh on the chosen
// backend, Silero VAD on WASM). When the page gives it a model helper (a second instance of this script,
// told to `serve`; model-helper.ts), face detection and voice activity run there and only the mesh here.
// Posts `ready` with the backend and worker count, `progress` per frame batch, `partial` crop paths as the
// analysed part grows, then the `result`; any failure becomes an `error`.
import type { MeshRun } from '../analysis/track-mesher';
import { ModelHelper, serveModels } from './model-helper';
import { faceDetector, meshRunner, serial, VadRun } from './model-runners';
import { OnnxSessions } from './onnx-sessions';
import { PreviewAnalyzer, toRgb, type AnalyzerModels } from './preview-analyzer';
import type { Backend, FromWorker, PlanSettings, ToWorker } from './protocol';

/** A partial crop path at most this often (seconds of wall time), and not before PARTIAL_SHARE times the
 *  last one's cost has passed: planning grows with the part analysed, and at a fixed 0.5 s the partials
 *  took 12 % of the 60 s benchmark clip's analysis; this keeps them near 5 %. */
const PARTIAL_EVERY = 0.5;
const PARTIAL_SHARE = 20;

type Run = { id: number; analyzer: PreviewAnalyzer; plan: PlanSettings; started: number; nextPartial: number };

let sessions: Promise<OnnxSessions> | null = null;
let run: Run | null = null;
/** The model helper worker, when the page gave one (see model-helper.ts). */
let helper: ModelHelper | null = null;
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
  if (m.type === 'serve') {
    // This worker is a model helper: it answers the analysis worker on the port, not the page.
    sessions ??= OnnxSessions.create(m.backend, m.modelBase, m.wasmBase, m.threads);
    serveModels(m.port, sessions);
    return;
  }
  if (m.type === 'helper') {
    helper?.close();
    helper = new ModelHelper(m.port);
    return;
  }
  if (m.type === 'start') {
    sessions ??= OnnxSessions.create(m.backend, m.modelBase, m.wasmBase, m.threads);
    sessions.catch(() => (sessions = null));
    const s = await sessions;
    const models = await analyzerModels(s, m.source);
    run = { id: m.id, analyzer: new PreviewAnalyzer(m.source, models), plan: m.plan, started: performance.now(), nextPartial: 0 };
    post({
      type: 'ready',
      id: m.id,
      backend: s.facts.backend,
      threads: s.facts.threads,
      adapter: s.facts.adapter,
      workers: helper ? 2 : 1,
    });
    return;
  }
  if (m.type === 'detect') {
    sessions ??= OnnxSessions.create(m.backend, m.modelBase, m.wasmBase, m.threads);
    sessions.catch(() => (sessions = null));
    const s = await sessions;
    const detect = faceDetector(s.ort, await s.session('face_detection_full_range'), m.source);
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
    if (now >= current.nextPartial) {
      const partial = current.analyzer.partial(current.plan);
      const cost = performance.now() / 1000 - now;
      current.nextPartial = now + Math.max(PARTIAL_EVERY, PARTIAL_SHARE * cost);
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
  const one = serial();
  const mesh = meshRunner(s.ort, await s.session('face_landmark'));
  const meshOne: MeshRun = (tensor) => one(() => mesh(tensor));
  if (helper) {
    const h = helper;
    return {
      detectFaces: (rgb, width, height) => h.detectFaces(rgb, width, height, source),
      mesh: meshOne,
      vad: (samples) => h.vad(samples),
    };
  }
  const [faces, vad] = await Promise.all([s.session('face_detection_full_range'), s.session('silero_vad_v5', 'wasm' satisfies Backend)]);
  const detect = faceDetector(s.ort, faces, source);
  return {
    detectFaces: (rgb, width, height) => one(() => detect(rgb, width, height)),
    mesh: meshOne,
    vad: (samples) =>
      one(async () => {
        const run = new VadRun(s.ort, vad);
        await run.push(samples);
        return run.finish();
      }),
  };
}
