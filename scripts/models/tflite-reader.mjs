// Reads what the ONNX converter needs from a TensorFlow Lite model (a flatbuffer), without generated
// schema code: fed the .tflite bytes; returns the description and the single subgraph's tensors (shape,
// type, name, constant bytes), inputs, outputs and operators (op name, tensor indices, named options).
import * as flatbuffers from 'flatbuffers';

// Enum values and table field slots below follow tensorflow/lite/schema/schema.fbs.
const BUILTIN_OPS = {
  0: 'ADD',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  17: 'MAX_POOL_2D',
  19: 'RELU',
  22: 'RESHAPE',
  23: 'RESIZE_BILINEAR',
  32: 'CUSTOM',
  34: 'PAD',
  54: 'PRELU',
};
const TENSOR_TYPES = { 0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 9: 'int8' };
export const PADDING = { SAME: 0, VALID: 1 };
export const ACTIVATION_NONE = 0;

// Builtin options, field by field in slot order: [name, reader, default].
const OPTION_FIELDS = {
  CONV_2D: [
    ['padding', 'i8', 0],
    ['strideW', 'i32', 0],
    ['strideH', 'i32', 0],
    ['activation', 'i8', 0],
    ['dilationW', 'i32', 1],
    ['dilationH', 'i32', 1],
  ],
  DEPTHWISE_CONV_2D: [
    ['padding', 'i8', 0],
    ['strideW', 'i32', 0],
    ['strideH', 'i32', 0],
    ['depthMultiplier', 'i32', 0],
    ['activation', 'i8', 0],
    ['dilationW', 'i32', 1],
    ['dilationH', 'i32', 1],
  ],
  MAX_POOL_2D: [
    ['padding', 'i8', 0],
    ['strideW', 'i32', 0],
    ['strideH', 'i32', 0],
    ['filterW', 'i32', 0],
    ['filterH', 'i32', 0],
    ['activation', 'i8', 0],
  ],
  ADD: [['activation', 'i8', 0]],
  CONCATENATION: [
    ['axis', 'i32', 0],
    ['activation', 'i8', 0],
  ],
  RESIZE_BILINEAR: [
    ['newHeight', 'i32', 0],
    ['newWidth', 'i32', 0],
    ['alignCorners', 'bool', false],
    ['halfPixelCenters', 'bool', false],
  ],
};

/** A flatbuffer table: reads fields by slot number, returning the default when a field is absent. */
class Table {
  constructor(bb, pos) {
    this.bb = bb;
    this.pos = pos;
  }
  static root(bb) {
    return new Table(bb, bb.readInt32(bb.position()) + bb.position());
  }
  offset(slot) {
    return this.bb.__offset(this.pos, 4 + 2 * slot);
  }
  scalar(slot, kind, fallback) {
    const o = this.offset(slot);
    if (!o) return fallback;
    const at = this.pos + o;
    switch (kind) {
      case 'i8':
        return this.bb.readInt8(at);
      case 'i32':
        return this.bb.readInt32(at);
      case 'u32':
        return this.bb.readUint32(at);
      case 'u64':
        return Number(this.bb.readUint64(at));
      case 'bool':
        return this.bb.readInt8(at) !== 0;
      default:
        throw new Error(`unknown field kind ${kind}`);
    }
  }
  string(slot) {
    const o = this.offset(slot);
    return o ? this.bb.__string(this.pos + o) : null;
  }
  table(slot) {
    const o = this.offset(slot);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }
  tables(slot) {
    return this.vector(slot, 4, (at) => new Table(this.bb, this.bb.__indirect(at)));
  }
  int32s(slot) {
    return this.vector(slot, 4, (at) => this.bb.readInt32(at));
  }
  bytes(slot) {
    const o = this.offset(slot);
    if (!o) return null;
    const start = this.bb.__vector(this.pos + o);
    return this.bb.bytes().subarray(start, start + this.bb.__vector_len(this.pos + o));
  }
  vector(slot, elementSize, read) {
    const o = this.offset(slot);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from({ length: this.bb.__vector_len(this.pos + o) }, (_, k) => read(start + elementSize * k));
  }
}

function readOptions(opName, table) {
  const fields = OPTION_FIELDS[opName] ?? [];
  return Object.fromEntries(fields.map(([name, kind, fallback], slot) => [name, table ? table.scalar(slot, kind, fallback) : fallback]));
}

/** Parses a .tflite file. Constant tensors carry their raw little-endian bytes in `data`. */
export function readTflite(bytes) {
  const bb = new flatbuffers.ByteBuffer(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const model = Table.root(bb);

  const opNames = model.tables(1).map((opcode) => {
    // Codes below 127 were first stored in the int8 `deprecated_builtin_code`; newer files fill both.
    const code = Math.max(opcode.scalar(0, 'i8', 0), opcode.scalar(3, 'i32', 0));
    const name = BUILTIN_OPS[code] ?? `builtin op ${code}`;
    return code === 32 ? `CUSTOM:${opcode.string(1)}` : name;
  });
  const buffers = model.tables(4).map((buffer) => {
    // Models over 2 GB keep weights after the flatbuffer (offset/size fields); ours never do.
    if (buffer.scalar(1, 'u64', 0)) throw new Error('tflite buffers stored outside the flatbuffer are not supported');
    const data = buffer.bytes(0);
    return data && data.length > 0 ? data : null;
  });

  const subgraphs = model.tables(2);
  if (subgraphs.length !== 1) throw new Error(`expected one subgraph, found ${subgraphs.length}`);
  const [subgraph] = subgraphs;
  const tensors = subgraph.tables(0).map((tensor) => {
    const typeCode = tensor.scalar(1, 'i8', 0);
    return {
      shape: tensor.int32s(0),
      type: TENSOR_TYPES[typeCode] ?? `tensor type ${typeCode}`,
      name: tensor.string(3) ?? '',
      data: buffers[tensor.scalar(2, 'u32', 0)] ?? null,
    };
  });
  const operators = subgraph.tables(3).map((op) => {
    const name = opNames[op.scalar(0, 'u32', 0)];
    return { name, inputs: op.int32s(1), outputs: op.int32s(2), options: readOptions(name, op.table(4)) };
  });

  return { description: model.string(3) ?? '', tensors, inputs: subgraph.int32s(1), outputs: subgraph.int32s(2), operators };
}
