// The deployment-provided YOLOv8-face path end to end through onnxruntime-node: a tiny ONNX model
// built here answers a fixed [1, 20, N] output (two faces with landmarks and one weak candidate)
// whatever the frame, and the detector reads its input size from the model, fills an NCHW tensor,
// decodes and maps the boxes back to source pixels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the install-time model tools are plain ESM JavaScript
import { OnnxGraph } from '../../scripts/models/onnx-builder.mjs';
import { createFaceDetector } from './face-detector';

const SIZE = 64;
const N = 3;
// Channels-first candidates in input pixels: cx, cy, w, h, score, then 5 × (x, y, visibility).
const candidates = [
  [16, 32, 12, 16, 0.9, 12, 28, 1, 20, 28, 1, 16, 32, 1, 13, 36, 1, 19, 36, 1],
  [48, 32, 10, 14, 0.8, 45, 29, 1, 51, 29, 1, 48, 32, 1, 46, 35, 1, 50, 35, 1],
  [32, 10, 8, 8, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
];

function buildModel(file: string) {
  const g = new OnnxGraph('yolo-face-fixture');
  g.addInput('images', 'float32', [1, 3, SIZE, SIZE]);
  g.addOutput('output0', 'float32', [1, 20, N]);
  const values: number[] = [];
  for (let c = 0; c < 20; c++) for (let i = 0; i < N; i++) values.push(candidates[i]![c]!);
  g.addInitializer('fixed', 'float32', [1, 20, N], values);
  g.addInitializer('zero', 'float32', [], [0]);
  // The output depends on the input (so the graph is not constant-folded away from its input) by 0 ×.
  g.addNode('ReduceMean', ['images'], ['mean'], { keepdims: 0 });
  g.addNode('Mul', ['mean', 'zero'], ['nothing']);
  g.addNode('Add', ['fixed', 'nothing'], ['output0']);
  fs.writeFileSync(file, g.toBytes({ producerName: 'test', producerVersion: '0', docString: '' }));
}

describe('YOLOv8-face detector (FACE_MODEL=yolov8:…)', () => {
  it('reads the input size from the model and returns faces with landmarks in source pixels', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yolo-')), 'face.onnx');
    buildModel(file);
    const detector = await createFaceDetector('yolov8', `yolov8:${file}`);
    expect(detector.inputSize).toBe(SIZE);
    // A 64×36 frame from a 1280×720 source: letterboxed with 14 px bands above and below.
    const frame = { frame: 0, timestamp: 0, width: 64, height: 36, data: new Uint8Array(64 * 36 * 3).fill(128) };
    const faces = await detector.detect(frame, 1280, 720);
    expect(faces).toHaveLength(2);
    const [a, b] = faces;
    expect(a!.score).toBeCloseTo(0.9);
    // Box (10, 24, 12, 16) in input px → frame (10, 10, 12, 16) → ×20 to the source.
    expect(a!.box.map((v) => Math.round(v))).toEqual([200, 200, 240, 320]);
    expect(a!.landmarks).toHaveLength(5);
    expect(a!.landmarks![0]!.map((v) => Math.round(v))).toEqual([240, 280]);
    expect(b!.box[0]! + b!.box[2]! / 2).toBeCloseTo(960, 0);
  });

  it('fails clearly when FACE_MODEL is not set', async () => {
    await expect(createFaceDetector('yolov8', '')).rejects.toThrow(/FACE_MODEL=yolov8/);
  });
});
