// A small ONNX graph writer on the `onnx-proto` package (IR version 8, opset 13): fed inputs, outputs,
// initializers and nodes in graph order; returns the serialized ModelProto. Its names and field values
// are part of the bytes that public/models/manifest.json pins, so changing them changes every sha256.
import { TextEncoder } from 'node:util';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const ELEMENT_TYPES = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 };
const AttributeType = onnx.AttributeProto.AttributeType;

export class OnnxGraph {
  #name;
  #inputs = [];
  #outputs = [];
  #initializers = [];
  #initializerNames = new Set();
  #nodes = [];
  #nextId = 0;

  constructor(name) {
    this.#name = name;
  }

  /** A number never handed out before: keeps generated value and node names unique. */
  nextId() {
    return this.#nextId++;
  }

  uniqueName(prefix) {
    return `${prefix}__${this.nextId()}`;
  }

  addInput(name, type, shape) {
    this.#inputs.push(valueInfo(name, type, shape));
  }

  addOutput(name, type, shape) {
    this.#outputs.push(valueInfo(name, type, shape));
  }

  /** Adds a constant once per name (a weight used by two ops is stored once); returns its name. */
  addInitializer(name, type, dims, values) {
    if (this.#initializerNames.has(name)) return name;
    this.#initializerNames.add(name);
    const typed = type === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Float32Array.from(values);
    this.#initializers.push(onnx.TensorProto.create({ name, dataType: ELEMENT_TYPES[type], dims, rawData: new Uint8Array(typed.buffer) }));
    return name;
  }

  /** Appends a node (nodes must come in execution order); returns its first output's name. */
  addNode(opType, inputs, outputs, attributes = {}) {
    const attribute = Object.entries(attributes).map(([name, value]) => attributeProto(name, value));
    this.#nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: outputs, name: this.uniqueName(opType), attribute }));
    return outputs[0];
  }

  toBytes({ producerName, producerVersion, docString }) {
    const graph = onnx.GraphProto.create({
      name: this.#name,
      node: this.#nodes,
      initializer: this.#initializers,
      input: this.#inputs,
      output: this.#outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName,
      producerVersion,
      docString,
      graph,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 13 })],
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name, type, shape) {
  const dim = shape.map((dimValue) => ({ dimValue }));
  const tensorType = onnx.TypeProto.Tensor.create({ elemType: ELEMENT_TYPES[type], shape: onnx.TensorShapeProto.create({ dim }) });
  return onnx.ValueInfoProto.create({ name, type: onnx.TypeProto.create({ tensorType }) });
}

function attributeProto(name, value) {
  if (typeof value === 'string')
    return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (Number.isInteger(value)) return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
  if (Array.isArray(value) && value.every(Number.isInteger))
    return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: value });
  throw new Error(`attribute ${name}: only strings, integers and integer lists are written`);
}
