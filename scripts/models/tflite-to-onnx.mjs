// Converts a TensorFlow Lite model to ONNX, for the op set of MediaPipe's BlazeFace detectors and face
// landmark model: fed the .tflite bytes and a graph name; returns the ONNX bytes. Any other op, or a
// fused activation, fails loudly rather than producing a subtly different network.
//
// Activations run NCHW inside the graph (ONNX's Conv layout) while the graph's inputs and outputs keep
// TFLite's NHWC shapes, so callers feed the same tensors to the .tflite and the .onnx model.
import { OnnxGraph } from './onnx-builder.mjs';
import { ACTIVATION_NONE, PADDING, readTflite } from './tflite-reader.mjs';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
/** Where each NHWC axis (N, H, W, C) sits in NCHW. */
const NCHW_AXIS_OF = [0, 2, 3, 1];

// These strings are stored in every model; the manifest's sha256 sums depend on them verbatim.
const PRODUCER = { producerName: 'tflite2onnx-node', producerVersion: '0.1' };
const docStringFor = (description) => `converted from tflite (${description}) by tflite2onnx.mjs`;

export function convertTfliteToOnnx(tfliteBytes, graphName) {
  const model = readTflite(tfliteBytes);
  const converter = new Converter(model, new OnnxGraph(graphName));
  for (const op of model.operators) converter.convert(op);
  return converter.finish(docStringFor(model.description));
}

class Converter {
  constructor(model, graph) {
    this.tensors = model.tensors;
    this.graphOutputs = model.outputs;
    this.graph = graph;
    /** tensor index → { data, shape, type } for weights, folded at conversion time. */
    this.constants = new Map();
    /** tensor index → ONNX value name, for activations. */
    this.values = new Map();
    /** tensor indices whose ONNX value is NCHW; every other value has its TFLite shape. */
    this.nchw = new Set();

    this.tensors.forEach((t, i) => {
      if (t.data) this.constants.set(i, { data: decodeConstant(t.data, t.type), shape: t.shape, type: t.type });
    });
    for (const i of model.inputs) {
      this.graph.addInput(this.tensorName(i), 'float32', this.tensors[i].shape);
      this.values.set(i, this.tensorName(i));
    }
  }

  tensorName(i) {
    return `t${i}_${sanitize(this.tensors[i].name)}`;
  }

  rank(i) {
    return this.tensors[i].shape.length;
  }

  /** A constant as an initializer; `reshape` rearranges its data first (the name then gets a unique suffix). */
  constant(i, reshape) {
    const c = this.constants.get(i);
    const { data, shape } = reshape ? reshape(c.data, c.shape) : c;
    const name = reshape ? `${this.tensorName(i)}_${this.graph.nextId()}` : this.tensorName(i);
    const type = c.type === 'int32' ? 'int64' : 'float32';
    return this.graph.addInitializer(name, type, shape, Array.from(data));
  }

  /** Tensor i in NCHW: constants are broadcast to rank 4 and transposed, NHWC values get a Transpose. */
  asNchw(i) {
    if (this.constants.has(i)) return this.constant(i, toNchwConstant);
    if (this.nchw.has(i)) return this.values.get(i);
    const out = this.graph.uniqueName(`${this.tensorName(i)}_nchw`);
    return this.graph.addNode('Transpose', [this.values.get(i)], [out], { perm: NHWC_TO_NCHW });
  }

  /** Tensor i in its TFLite layout. */
  asTflite(i) {
    if (this.constants.has(i)) return this.constant(i);
    if (!this.nchw.has(i)) return this.values.get(i);
    const out = this.graph.uniqueName(`${this.tensorName(i)}_nhwc`);
    return this.graph.addNode('Transpose', [this.values.get(i)], [out], { perm: NCHW_TO_NHWC });
  }

  convert(op) {
    const handler = OPS[op.name];
    if (!handler) throw new Error(`unsupported op ${op.name}`);
    if ((op.options.activation ?? ACTIVATION_NONE) !== ACTIVATION_NONE) {
      throw new Error(`unsupported fused activation ${op.options.activation} on ${op.name}`);
    }
    const out = op.outputs[0];
    const result = handler.call(this, op, this.tensorName(out));
    if (result === 'constant') return;
    if (result === 'nchw') this.nchw.add(out);
    this.values.set(out, this.tensorName(out));
  }

  finish(docString) {
    for (const i of this.graphOutputs) {
      const t = this.tensors[i];
      const name = t.name ? sanitize(t.name) : this.tensorName(i);
      this.graph.addNode('Identity', [this.asTflite(i)], [name]);
      this.graph.addOutput(name, 'float32', t.shape);
    }
    return this.graph.toBytes({ ...PRODUCER, docString });
  }
}

// One handler per TFLite op, called on the Converter with (op, name of the output value). Each returns
// the layout of the value it wrote ('nchw' or 'tflite'), or 'constant' when it folded the op away.
const OPS = {
  DEQUANTIZE({ inputs: [input], outputs: [out] }) {
    const c = this.constants.get(input);
    // MediaPipe ships float16 weights; they were widened to float32 when read.
    if (!c || c.type !== 'float16') throw new Error('DEQUANTIZE is supported for float16 constants only');
    this.constants.set(out, { data: c.data, shape: this.tensors[out].shape, type: 'float32' });
    return 'constant';
  },

  CONV_2D(op, outName) {
    return convolution.call(this, op, outName, false);
  },

  DEPTHWISE_CONV_2D(op, outName) {
    return convolution.call(this, op, outName, true);
  },

  MAX_POOL_2D({ inputs: [input], options: o }, outName) {
    const [, height, width] = this.tensors[input].shape;
    const pads = o.padding === PADDING.SAME ? samePadding([height, width], [o.filterH, o.filterW], [o.strideH, o.strideW]) : [0, 0, 0, 0];
    this.graph.addNode('MaxPool', [this.asNchw(input)], [outName], {
      kernel_shape: [o.filterH, o.filterW],
      strides: [o.strideH, o.strideW],
      pads,
    });
    return 'nchw';
  },

  ADD({ inputs }, outName) {
    const toNchw = inputs.some((i) => this.nchw.has(i));
    const values = inputs.map((i) => (toNchw && (this.rank(i) === 4 || this.constants.has(i)) ? this.asNchw(i) : this.asTflite(i)));
    this.graph.addNode('Add', values, [outName]);
    return toNchw ? 'nchw' : 'tflite';
  },

  PRELU({ inputs: [input, slope] }, outName) {
    if (this.rank(input) !== 4) throw new Error('PRELU is supported on 4-D tensors only');
    const x = this.asNchw(input);
    // ONNX broadcasts the slope from the right: [C, 1, 1] against [N, C, H, W].
    const alpha = this.constant(slope, (data, shape) => {
      const nchw = toNchwConstant(data, shape);
      return { data: nchw.data, shape: nchw.shape.slice(1) };
    });
    this.graph.addNode('PRelu', [x, alpha], [outName]);
    return 'nchw';
  },

  RELU({ inputs: [input] }, outName) {
    const nchw = this.nchw.has(input);
    this.graph.addNode('Relu', [nchw ? this.values.get(input) : this.asTflite(input)], [outName]);
    return nchw ? 'nchw' : 'tflite';
  },

  PAD({ inputs: [input, paddings] }, outName) {
    // TFLite pads are [rank, 2] (before, after) pairs; ONNX wants all befores, then all afters.
    const pairs = Array.from(this.constants.get(paddings).data, Number);
    let before = pairs.filter((_, k) => k % 2 === 0);
    let after = pairs.filter((_, k) => k % 2 === 1);
    const nchw = this.rank(input) === 4;
    if (nchw) {
      before = NHWC_TO_NCHW.map((axis) => before[axis]);
      after = NHWC_TO_NCHW.map((axis) => after[axis]);
    }
    const pads = this.graph.addInitializer(this.graph.uniqueName('pads'), 'int64', [pairs.length], [...before, ...after]);
    this.graph.addNode('Pad', [nchw ? this.asNchw(input) : this.asTflite(input), pads], [outName], { mode: 'constant' });
    return nchw ? 'nchw' : 'tflite';
  },

  CONCATENATION({ inputs, outputs: [out], options: o }, outName) {
    const rank = this.rank(out);
    const axis = o.axis < 0 ? o.axis + rank : o.axis;
    const nchw = rank === 4;
    const values = inputs.map((i) => (nchw ? this.asNchw(i) : this.asTflite(i)));
    this.graph.addNode('Concat', values, [outName], { axis: nchw ? NCHW_AXIS_OF[axis] : axis });
    return nchw ? 'nchw' : 'tflite';
  },

  RESHAPE({ inputs: [input], outputs: [out] }, outName) {
    const target = this.tensors[out].shape;
    const shape = this.graph.addInitializer(this.graph.uniqueName('shape'), 'int64', [target.length], target);
    this.graph.addNode('Reshape', [this.asTflite(input), shape], [outName]);
    return 'tflite';
  },

  RESIZE_BILINEAR({ inputs: [input], outputs: [out], options: o }, outName) {
    const [n, h, w, c] = this.tensors[out].shape;
    const sizes = this.graph.addInitializer(this.graph.uniqueName('sizes'), 'int64', [4], [n, c, h, w]);
    const coordinates = o.alignCorners ? 'align_corners' : o.halfPixelCenters ? 'half_pixel' : 'asymmetric';
    // Resize's inputs are (X, roi, scales, sizes); empty names skip the two unused ones.
    this.graph.addNode('Resize', [this.asNchw(input), '', '', sizes], [outName], {
      mode: 'linear',
      coordinate_transformation_mode: coordinates,
    });
    return 'nchw';
  },
};

const sanitize = (tensorName) => tensorName.replace(/[^A-Za-z0-9_./:-]/g, '_');

function convolution({ inputs: [input, weights, bias], options: o }, outName, depthwise) {
  const [, height, width, channels] = this.tensors[input].shape;
  const [, kernelH, kernelW] = this.constants.get(weights).shape;
  // TFLite conv weights are [O, kH, kW, I] and depthwise ones [1, kH, kW, C×M]; ONNX wants [O, I/group, kH, kW].
  const w = this.constant(weights, (data, shape) => transpose(data, shape, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]));
  const values = [this.asNchw(input), w];
  if (bias !== undefined && bias >= 0) values.push(this.constant(bias));
  const dilations = [o.dilationH, o.dilationW];
  const pads =
    o.padding === PADDING.SAME ? samePadding([height, width], [kernelH, kernelW], [o.strideH, o.strideW], dilations) : [0, 0, 0, 0];
  this.graph.addNode('Conv', values, [outName], {
    kernel_shape: [kernelH, kernelW],
    strides: [o.strideH, o.strideW],
    dilations,
    pads,
    group: depthwise ? channels : 1,
  });
  return 'nchw';
}

/** TFLite's SAME padding as explicit ONNX pads [top, left, bottom, right]: the output size is
 *  ceil(in / stride), and an odd leftover pixel goes after (bottom or right). */
function samePadding(size, kernel, stride, dilation = [1, 1]) {
  const [[top, bottom], [left, right]] = size.map((inSize, axis) => {
    const outSize = Math.ceil(inSize / stride[axis]);
    const total = Math.max((outSize - 1) * stride[axis] + (kernel[axis] - 1) * dilation[axis] + 1 - inSize, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
  return [top, left, bottom, right];
}

/** A constant broadcast to rank 4 (leading 1s, as TFLite does) and moved from NHWC to NCHW. */
function toNchwConstant(data, shape) {
  return transpose(data, [...Array(4 - shape.length).fill(1), ...shape], NHWC_TO_NCHW);
}

/** Row-major transpose of `data` with `shape`: output axis k is input axis perm[k]. */
function transpose(data, shape, perm) {
  const rank = shape.length;
  const outShape = perm.map((axis) => shape[axis]);
  const inStrides = new Array(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) inStrides[k] = inStrides[k + 1] * shape[k + 1];
  const out = new Float32Array(data.length);
  const index = new Array(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let source = 0;
    for (let k = 0; k < rank; k++) source += index[k] * inStrides[perm[k]];
    out[o] = data[source];
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** Little-endian constant bytes as numbers; float16 is widened exactly to float32 (signed zeros kept). */
function decodeConstant(bytes, type) {
  const aligned = bytes.slice().buffer;
  switch (type) {
    case 'float32':
      return new Float32Array(aligned);
    case 'int32':
      return new Int32Array(aligned);
    case 'float16':
      return float16ToFloat32(bytes);
    default:
      throw new Error(`unsupported constant type ${type}`);
  }
}

function float16ToFloat32(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const h = view.getUint16(2 * i, true);
    const sign = h >> 15 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}
