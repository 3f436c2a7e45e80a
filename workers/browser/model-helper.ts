// The analysis worker's model helper: a second Web Worker (the same script, told to `serve`) that runs
// face detection and the voice-activity model while the analysis worker meshes faces, so that the
// preview's analysis uses two cores instead of one. The two talk over a MessagePort the page gives
// them: `ModelHelper` is the analysis worker's side, `serveModels` the helper's. Detections are
// answered before voice activity, which is worked through a second of audio at a time in between.
import type { FaceTrackerDetection } from '../analysis/face-tracker';
import { VAD_SAMPLE_RATE } from '../analysis/silero-vad';
import { faceDetector, VadRun, type FaceDetect } from './model-runners';
import type { OnnxSessions } from './onnx-sessions';

type Size = { width: number; height: number };

export type HelperRequest =
  | { kind: 'detect'; seq: number; rgb: Uint8Array; width: number; height: number; source: Size }
  | { kind: 'vad'; seq: number; samples: Float32Array };

export type HelperReply =
  { seq: number; detections: FaceTrackerDetection[] } | { seq: number; vad: Float32Array } | { seq: number; error: string };

/** The analysis worker's handle on the helper: model calls as promises, answered in the helper's order. */
export class ModelHelper {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(reply: HelperReply): void }>();

  constructor(private readonly port: MessagePort) {
    port.onmessage = (event: MessageEvent<HelperReply>) => {
      const waiter = this.waiting.get(event.data.seq);
      this.waiting.delete(event.data.seq);
      waiter?.resolve(event.data);
    };
  }

  async detectFaces(rgb: Uint8Array, width: number, height: number, source: Size): Promise<FaceTrackerDetection[]> {
    const reply = await this.ask({ kind: 'detect', seq: ++this.seq, rgb, width, height, source }, [rgb.buffer as ArrayBuffer]);
    if ('error' in reply) throw new Error(reply.error);
    if (!('detections' in reply)) throw new Error('the model helper answered a detection with something else');
    return reply.detections;
  }

  async vad(samples: Float32Array): Promise<Float32Array> {
    const reply = await this.ask({ kind: 'vad', seq: ++this.seq, samples });
    if ('error' in reply) throw new Error(reply.error);
    if (!('vad' in reply)) throw new Error('the model helper answered voice activity with something else');
    return reply.vad;
  }

  close(): void {
    this.port.close();
    for (const waiter of this.waiting.values()) waiter.resolve({ seq: 0, error: 'the model helper was closed' });
    this.waiting.clear();
  }

  private ask(request: HelperRequest, transfer: Transferable[] = []): Promise<HelperReply> {
    return new Promise((resolve) => {
      this.waiting.set(request.seq, { resolve });
      this.port.postMessage(request, transfer);
    });
  }
}

type VadJob = { seq: number; samples: Float32Array; offset: number; run: VadRun | null };

/** Answers a ModelHelper's requests on `port` with the sessions' models, one model run at a time. */
export function serveModels(port: MessagePort, sessions: Promise<OnnxSessions>): void {
  const detects: Extract<HelperRequest, { kind: 'detect' }>[] = [];
  const vads: VadJob[] = [];
  const detectors = new Map<string, Promise<FaceDetect>>();
  let busy = false;

  const detector = (source: Size) => {
    const key = `${source.width}x${source.height}`;
    let d = detectors.get(key);
    if (!d) {
      d = sessions.then(async (s) => faceDetector(s.ort, await s.session('face_detection_full_range'), source));
      detectors.set(key, d);
    }
    return d;
  };

  const reply = (message: HelperReply) => port.postMessage(message);
  const fail = (seq: number, e: unknown) => reply({ seq, error: e instanceof Error ? e.message : String(e) });

  const work = async () => {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const detect = detects.shift();
        if (detect) {
          try {
            const detections = await (await detector(detect.source))(detect.rgb, detect.width, detect.height);
            reply({ seq: detect.seq, detections });
          } catch (e) {
            fail(detect.seq, e);
          }
          continue;
        }
        const job = vads[0];
        if (!job) break;
        try {
          const s = await sessions;
          job.run ??= new VadRun(s.ort, await s.session('silero_vad_v5', 'wasm'));
          const end = Math.min(job.samples.length, job.offset + VAD_SAMPLE_RATE);
          await job.run.push(job.samples.subarray(job.offset, end));
          job.offset = end;
          if (end === job.samples.length) {
            vads.shift();
            const vad = await job.run.finish();
            port.postMessage({ seq: job.seq, vad } satisfies HelperReply, [vad.buffer]);
          }
        } catch (e) {
          vads.shift();
          fail(job.seq, e);
        }
        // A macrotask between pieces of audio, so that detections asked for meanwhile go first.
        await new Promise((r) => setTimeout(r, 0));
      }
    } finally {
      busy = false;
    }
  };

  port.onmessage = (event: MessageEvent<HelperRequest>) => {
    const request = event.data;
    if (request.kind === 'detect') detects.push(request);
    else vads.push({ seq: request.seq, samples: request.samples, offset: 0, run: null });
    void work();
  };
}
