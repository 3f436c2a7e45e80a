// The PRelu rewrite: per-channel PRelus become Relu + two BatchNormalizations + Add with the same
// input and output names and the slopes folded in; other PRelus and other nodes are left alone.
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { preluAsBatchNorm } from './prelu-rewrite';

const { onnx } = onnxProto;

function model(slopeDims: number[], slope: number[]): Uint8Array {
  const f32 = (name: string, dims: number[], values: number[]) =>
    onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });
  const graph = onnx.GraphProto.create({
    name: 'g',
    node: [
      onnx.NodeProto.create({ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['c'] }),
      onnx.NodeProto.create({ name: 'act', opType: 'PRelu', input: ['c', 'slope'], output: ['y'] }),
    ],
    initializer: [f32('w', [2, 2, 1, 1], [1, 0, 0, 1]), f32('slope', slopeDims, slope)],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph, opsetImport: [{ domain: '', version: 13 }] })).finish();
}

const decode = (bytes: Uint8Array) => {
  const g = onnx.ModelProto.decode(bytes).graph!;
  return { node: g.node ?? [], initializer: g.initializer ?? [] };
};
const values = (t: { rawData?: Uint8Array | null }) => Array.from(new Float32Array(Uint8Array.from(t.rawData!).buffer));

describe('preluAsBatchNorm', () => {
  it('turns a per-channel PRelu into (1 − s)·Relu(x) + s·x', () => {
    const g = decode(preluAsBatchNorm(model([2, 1, 1], [0.25, -0.5])));
    expect(g.node.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'BatchNormalization', 'BatchNormalization', 'Add']);
    const [, relu, positive, linear, sum] = g.node;
    expect(relu!.input).toEqual(['c']);
    expect(positive!.input![0]).toBe(relu!.output![0]);
    expect(linear!.input![0]).toBe('c');
    expect(sum!.input).toEqual([positive!.output![0], linear!.output![0]]);
    expect(sum!.output).toEqual(['y']);
    const init = new Map(g.initializer.map((t) => [t.name, t]));
    expect(values(init.get(positive!.input![1]!)!)).toEqual([0.75, 1.5]);
    expect(values(init.get(linear!.input![1]!)!)).toEqual([0.25, -0.5]);
    // mean 0, variance 1, epsilon 0: BatchNormalization is then exactly scale·x.
    expect(values(init.get(linear!.input![3]!)!)).toEqual([0, 0]);
    expect(values(init.get(linear!.input![4]!)!)).toEqual([1, 1]);
    expect(linear!.attribute![0]).toMatchObject({ name: 'epsilon', f: 0 });
    expect(init.has('slope')).toBe(false);
  });

  it('leaves a PRelu alone when its slope is not per channel', () => {
    const g = decode(preluAsBatchNorm(model([1], [0.25])));
    expect(g.node.map((n) => n.opType)).toEqual(['Conv', 'PRelu']);
    expect(g.initializer.map((t) => t.name)).toEqual(['w', 'slope']);
  });
});
