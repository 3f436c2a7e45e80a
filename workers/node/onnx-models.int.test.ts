// Every built model loads in onnxruntime-node and answers with the manifest's shapes, the sessions are
// shared, and the short-range face detector finds the one face in a real frame decoded by ffmpeg.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBlazeFace } from '../analysis/blazeface';
import { loadModel, modelInfo } from './onnx-models';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TALKING_HEAD = path.resolve(ROOT, '../shared/media/talking/talking-head-2.mp4');

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Runs a model on zeros shaped as its manifest input; returns the outputs by name. */
async function runOnZeros(name: string) {
  const [input] = modelInfo(name).inputs;
  const shape = input!.shape as number[];
  const session = await loadModel(name);
  return session.run({ [input!.name]: new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) });
}

beforeAll(() => {
  // Fast when public/models is already built, as it is after setup.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-models.mjs')]);
});

describe('onnx models', () => {
  it('BlazeFace short range: 896 anchors of 16 regressors and 1 score', async () => {
    const out = await runOnZeros('face_detection_short_range');
    expect(out.regressors!.dims).toEqual([1, 896, 16]);
    expect(out.classificators!.dims).toEqual([1, 896, 1]);
    expect((out.classificators!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('BlazeFace full range: 2304 anchors', async () => {
    const out = await runOnZeros('face_detection_full_range');
    expect(out.reshaped_regressor_face_4!.dims).toEqual([1, 2304, 16]);
    expect(out.reshaped_classifier_face_4!.dims).toEqual([1, 2304, 1]);
  });

  it('face landmarks: 468 × (x, y, z) and a presence logit', async () => {
    const out = await runOnZeros('face_landmark');
    expect(out.conv2d_21!.data).toHaveLength(1404);
    expect(out.conv2d_31!.data).toHaveLength(1);
    // A black crop holds no face.
    expect(sigmoid(out.conv2d_31!.data[0] as number)).toBeLessThan(0.5);
  });

  it('Silero VAD v5: silence is not speech, and the state comes back for the next frame', async () => {
    const session = await loadModel('silero_vad_v5');
    expect(session.inputNames).toEqual(modelInfo('silero_vad_v5').inputs.map((i) => i.name));
    // 64 samples of context (zeros before the first frame), then one 512-sample frame at 16 kHz.
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(64 + 512), [1, 64 + 512]),
      state: new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]),
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
    });
    expect(out.output!.dims).toEqual([1, 1]);
    expect(out.output!.data[0]).toBeLessThan(0.5);
    expect(out.stateN!.dims).toEqual([2, 1, 128]);
  });

  it('Silero VAD v4 (legacy): silence is not speech', async () => {
    const session = await loadModel('silero_vad_legacy');
    expect(session.inputNames).toEqual(modelInfo('silero_vad_legacy').inputs.map((i) => i.name));
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(512), [1, 512]),
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
      h: new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]),
      c: new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]),
    });
    expect(out.output!.data[0]).toBeLessThan(0.5);
    expect(out.hn!.dims).toEqual([2, 1, 64]);
    expect(out.cn!.dims).toEqual([2, 1, 64]);
  });

  it('shares one session per model and rejects unknown names', async () => {
    expect(await loadModel('face_landmark')).toBe(await loadModel('face_landmark'));
    expect(() => modelInfo('yolo')).toThrow(/unknown model yolo/);
  });

  it('finds the one face near the centre of a real talking-head frame', async () => {
    // The clip is square (844×844), so scaling to 128×128 needs no letterbox.
    const rgb = execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      TALKING_HEAD,
      '-frames:v',
      '1',
      '-vf',
      'scale=128:128',
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      '-',
    ]);
    expect(rgb.length).toBe(128 * 128 * 3);
    const pixels = Float32Array.from(rgb, (v) => v / 127.5 - 1);

    const session = await loadModel('face_detection_short_range');
    const out = await session.run({
      [modelInfo('face_detection_short_range').inputs[0]!.name]: new ort.Tensor('float32', pixels, [1, 128, 128, 3]),
    });
    const scores = out.classificators!.data as Float32Array;
    const regressors = out.regressors!.data as Float32Array;
    expect(sigmoid(Math.max(...scores))).toBeGreaterThan(0.8);

    const faces = decodeBlazeFace(scores, regressors, 'short');
    expect(faces).toHaveLength(1);
    const [x, y, w, h] = faces[0]!.box;
    expect(Math.abs(x + w / 2 - 0.5)).toBeLessThan(0.2);
    expect(Math.abs(y + h / 2 - 0.5)).toBeLessThan(0.2);
    expect(w).toBeGreaterThan(0.1);
    expect(h).toBeGreaterThan(0.1);
  });
});
