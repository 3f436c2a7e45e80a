// Rewrites an ONNX model's PRelu nodes (per-channel slope s) into Relu and BatchNormalization:
// PRelu(x) = (1 − s)·Relu(x) + s·x, each product a BatchNormalization with mean 0, variance 1 and
// epsilon 0. onnxruntime's CPU provider runs BatchNormalization, Relu and Add in its blocked (NCHWc)
// layout but not PRelu, which costs a layout change before and after every one: on the 468-point
// face mesh (23 PRelus) a run takes ~40 % less CPU, with landmarks equal to within 1e-4 px.
// Fed the model's bytes; returns the rewritten model's bytes.
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

export function preluAsBatchNorm(model: Uint8Array): Uint8Array {
  const m = onnx.ModelProto.decode(model);
  const graph = m.graph!;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const nodes: Onnx.INodeProto[] = [];
  const replaced = new Set<string>();
  for (const node of graph.node ?? []) {
    const slope = node.opType === 'PRelu' ? initializers.get(node.input![1]!) : undefined;
    // Only per-channel slopes ([C, 1, 1] on NCHW) map onto BatchNormalization's per-channel scale.
    const dims = (slope?.dims ?? []).map(Number);
    if (!slope || slope.dataType !== onnx.TensorProto.DataType.FLOAT || dims.length !== 3 || dims[1] !== 1 || dims[2] !== 1) {
      nodes.push(node);
      continue;
    }
    const s = floats(slope);
    const [x] = node.input!;
    const [y] = node.output!;
    const p = `${node.name || y}_prelu`;
    replaced.add(slope.name!);
    graph.initializer!.push(
      tensor(
        `${p}_keep`,
        Array.from(s, (v) => 1 - v),
      ),
      tensor(`${p}_slope`, s),
      tensor(`${p}_zero`, new Float32Array(s.length)),
      tensor(`${p}_one`, new Float32Array(s.length).fill(1)),
    );
    const scaled = (input: string, scale: string, output: string) =>
      onnx.NodeProto.create({
        name: output,
        opType: 'BatchNormalization',
        input: [input, scale, `${p}_zero`, `${p}_zero`, `${p}_one`],
        output: [output],
        attribute: [onnx.AttributeProto.create({ name: 'epsilon', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0 })],
      });
    nodes.push(
      onnx.NodeProto.create({ name: `${p}_relu`, opType: 'Relu', input: [x!], output: [`${p}_relu`] }),
      scaled(`${p}_relu`, `${p}_keep`, `${p}_positive`),
      scaled(x!, `${p}_slope`, `${p}_linear`),
      onnx.NodeProto.create({ name: `${p}_sum`, opType: 'Add', input: [`${p}_positive`, `${p}_linear`], output: [y!] }),
    );
  }
  graph.node = nodes;
  // Slopes no other node reads are dropped (onnxruntime warns about unused initializers).
  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer!.filter((t) => !replaced.has(t.name!) || read.has(t.name!));
  return onnx.ModelProto.encode(m).finish();
}

function floats(t: Onnx.ITensorProto): Float32Array {
  if (t.floatData?.length) return Float32Array.from(t.floatData);
  const raw = t.rawData!;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function tensor(name: string, values: ArrayLike<number>): Onnx.TensorProto {
  const data = Float32Array.from(values);
  return onnx.TensorProto.create({
    name,
    dims: [data.length],
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer),
  });
}
