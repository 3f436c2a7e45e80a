// Geometry between a source frame and a square face-model input: the aspect-preserving fit, the way
// back from normalized model coordinates to source pixels, and the input tensor fill in one pass.
// Fed frame sizes and RGB24 pixels; returns the fit, source-pixel boxes/points and Float32 tensors.

/** Top-left corner, width, height. */
export type Box = [x: number, y: number, w: number, h: number];
export type Point = [x: number, y: number];

/** Value range of a model's input channels: BlazeFace wants [-1, 1], the landmark model [0, 1]. */
export type TensorRange = readonly [-1, 1] | readonly [0, 1];

export type Letterbox = {
  /** Side of the square model input, in model pixels. */
  size: number;
  /** Model pixels per source pixel. */
  scale: number;
  /** Padding before the content, in model pixels. Fractional, so the content is exactly centred and
   *  the way back is exact; the tensor fill decides pixel by pixel at the padding edge. */
  offsetX: number;
  offsetY: number;
};

export function letterbox(width: number, height: number, size: number): Letterbox {
  if (!(width > 0 && height > 0 && size > 0)) throw new RangeError(`letterbox: bad sizes ${width}×${height} → ${size}`);
  const scale = size / Math.max(width, height);
  return { size, scale, offsetX: (size - width * scale) / 2, offsetY: (size - height * scale) / 2 };
}

/** A box normalized to the model input (0..1 over the whole square, padding included) → source pixels. */
export function toSourceBox(box: Box, fit: Letterbox): Box {
  const [x, y] = toSourcePoint([box[0], box[1]], fit);
  return [x, y, (box[2] * fit.size) / fit.scale, (box[3] * fit.size) / fit.scale];
}

export function toSourcePoint(point: Point, fit: Letterbox): Point {
  return [(point[0] * fit.size - fit.offsetX) / fit.scale, (point[1] * fit.size - fit.offsetY) / fit.scale];
}

/** Intersection over union; 0 when either box is empty. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Letterboxes an RGB24 frame (rows top to bottom, no row padding) into an S×S NHWC (or NCHW) tensor with
 * bilinear sampling (half-pixel centres, like TFLite's resize) and normalises it to `range`.
 * Padding is black, i.e. `range[0]`, as MediaPipe's image-to-tensor step pads before normalising.
 * Pass `out` to reuse one buffer per frame: the analysis loop runs at several frames per second.
 * Bilinear reads at most a 2×2 neighbourhood, so the frame should arrive near the model size
 * (the frame sources scale it); a much larger frame would alias.
 */
export function fillInputTensor(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
  layout: 'nhwc' | 'nchw',
  range: TensorRange,
  out: Float32Array = new Float32Array(size * size * 3),
): Float32Array {
  if (rgb.length < width * height * 3) throw new RangeError(`fillInputTensor: ${rgb.length} bytes for a ${width}×${height} RGB24 frame`);
  if (out.length !== size * size * 3) throw new RangeError(`fillInputTensor: output holds ${out.length} values, needs ${size * size * 3}`);
  const fit = letterbox(width, height, size);
  const [lo, hi] = range;
  const k = (hi - lo) / 255;
  const left = fit.offsetX;
  const right = fit.offsetX + width * fit.scale;
  const top = fit.offsetY;
  const bottom = fit.offsetY + height * fit.scale;
  // NHWC keeps a pixel's channels together (TFLite models); NCHW stores one plane per channel (YOLO exports).
  const pixelStride = layout === 'nhwc' ? 3 : 1;
  const channelStride = layout === 'nhwc' ? 1 : size * size;
  for (let oy = 0; oy < size; oy++) {
    const cy = oy + 0.5;
    const rowInside = cy >= top && cy < bottom;
    const sy = clamp((cy - top) / fit.scale - 0.5, 0, height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sy - y0;
    for (let ox = 0; ox < size; ox++) {
      const o = (oy * size + ox) * pixelStride;
      const cx = ox + 0.5;
      if (!rowInside || cx < left || cx >= right) {
        out[o] = lo;
        out[o + channelStride] = lo;
        out[o + 2 * channelStride] = lo;
        continue;
      }
      sampleBilinear(rgb, width, clamp((cx - left) / fit.scale - 0.5, 0, width - 1), y0, y1, fy, out, o, channelStride, k, lo);
    }
  }
  return out;
}

/**
 * Writes the bilinear RGB sample at column `sx` (already clamped to the frame) between rows y0 and y1
 * (weight fy on y1) into out[at], out[at + stride], out[at + 2·stride], as value·k + offset.
 */
export function sampleBilinear(
  rgb: Uint8Array,
  width: number,
  sx: number,
  y0: number,
  y1: number,
  fy: number,
  out: Float32Array,
  at: number,
  stride: number,
  k: number,
  offset: number,
): void {
  const x0 = Math.floor(sx);
  const x1 = Math.min(x0 + 1, width - 1);
  const fx = sx - x0;
  const a = (y0 * width + x0) * 3;
  const b = (y0 * width + x1) * 3;
  const c = (y1 * width + x0) * 3;
  const d = (y1 * width + x1) * 3;
  for (let ch = 0; ch < 3; ch++) {
    const upper = rgb[a + ch]! + (rgb[b + ch]! - rgb[a + ch]!) * fx;
    const lower = rgb[c + ch]! + (rgb[d + ch]! - rgb[c + ch]!) * fx;
    out[at + ch * stride] = (upper + (lower - upper) * fy) * k + offset;
  }
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}
