// The preview's model calls on onnxruntime-web sessions, as the server makes them: BlazeFace full range
// on an RGB24 frame (the server's tensor fill and decoding, detections in source pixels), the face mesh
// on a filled tensor, and Silero VAD v5 over 16 kHz mono audio fed in pieces. Used by the analysis
// worker and by its model helper (model-helper.ts). Fed sessions; returns async functions.
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { BLAZEFACE_VARIANTS } from '../analysis/blazeface';
import { FACE_MESH_SIZE } from '../analysis/face-mesh-crop';
import { blazeFaceDetections } from '../analysis/face-detections';
import type { FaceTrackerDetection } from '../analysis/face-tracker';
import { fillInputTensor } from '../analysis/letterbox';
import { VAD_SAMPLE_RATE, VadFramer } from '../analysis/silero-vad';
import type { MeshRun } from '../analysis/track-mesher';
import type { Ort } from './ort-runtime';

const FACE_SIZE = BLAZEFACE_VARIANTS.full.inputSize;

export type FaceDetect = (rgb: Uint8Array, width: number, height: number) => Promise<FaceTrackerDetection[]>;

/** BlazeFace full range on one RGB24 frame, detections in source pixels. */
export function faceDetector(ort: Ort, session: InferenceSession, source: { width: number; height: number }): FaceDetect {
  const input = new Float32Array(FACE_SIZE * FACE_SIZE * 3);
  return async (rgb, width, height) => {
    fillInputTensor(rgb, width, height, FACE_SIZE, 'nhwc', [-1, 1], input);
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, FACE_SIZE, FACE_SIZE, 3]) });
    const tensors = await Promise.all(Object.values(out).map(async (t) => ({ dims: t.dims, data: await t.getData() })));
    return blazeFaceDetections(tensors, 'full', FACE_SIZE, { width, height }, source);
  };
}

/** The 468-point face mesh on a filled 192×192 NHWC tensor. */
export function meshRunner(ort: Ort, session: InferenceSession): MeshRun {
  const [meshName, presenceName] = session.outputNames;
  return async (tensor) => {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', tensor, [1, FACE_MESH_SIZE, FACE_MESH_SIZE, 3]) });
    const mesh = (await out[meshName!]!.getData()) as Float32Array;
    const presence = (await out[presenceName!]!.getData()) as Float32Array;
    return { mesh, presenceLogit: presence[0]! };
  };
}

/** Silero VAD v5, one probability per 512-sample frame (as workers/node/vad.ts), its recurrent state
 *  carried from one `push` to the next so that the audio may come in pieces. */
export class VadRun {
  private readonly framer = new VadFramer();
  private readonly sr: Tensor;
  private state: Tensor;
  private readonly out: number[] = [];

  constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
  ) {
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
    this.state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }

  async push(samples: Float32Array): Promise<void> {
    for (const f of this.framer.push(samples)) await this.step(f);
  }

  async finish(): Promise<Float32Array> {
    for (const f of this.framer.flush()) await this.step(f);
    return Float32Array.from(this.out);
  }

  private async step(input: Float32Array) {
    const r = await this.session.run({ input: new this.ort.Tensor('float32', input, [1, input.length]), state: this.state, sr: this.sr });
    this.state = r.stateN as Tensor;
    this.out.push((r.output!.data as Float32Array)[0]!);
  }
}

/** Runs calls one at a time in call order: onnxruntime-web's WASM runtime takes one run at a time. */
export function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}
