// Small RGBA pictures straight from a planar YUV 4:2:0 frame (limited range, BT.601, as ffmpeg converts
// an untagged stream): each output pixel is the average of the source pixels it covers, converted once.
// The browser preview uses it for its 192-px face and 96-px scene pictures: a canvas draw converts the
// whole 720p frame to RGB first (measured 12.5 ms a frame in headless Chromium); this touches each
// byte once. Fed the frame's bytes and sizes; returns RGBA bytes of the output size.

/** Source index ranges [from[i], to[i]) per output index i: the source pixels that output pixel covers
 *  (at least one, so upscaling repeats them). */
function spans(source: number, output: number): { from: Int32Array; to: Int32Array } {
  const from = new Int32Array(output);
  const to = new Int32Array(output);
  for (let i = 0; i < output; i++) {
    from[i] = Math.min(source - 1, Math.floor((i * source) / output));
    to[i] = Math.max(from[i]! + 1, Math.floor(((i + 1) * source) / output));
  }
  return { from, to };
}

/** Sum of a plane's bytes over rows [y0, y1) and columns [x0, x1). */
function boxSum(plane: Uint8Array, offset: number, stride: number, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    const row = offset + y * stride;
    for (let x = x0; x < x1; x++) sum += plane[row + x]!;
  }
  return sum;
}

export function downscaleYuv420ToRgba(
  yuv: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8ClampedArray {
  const cw = width >> 1;
  const ch = height >> 1;
  if (width % 2 || height % 2 || yuv.length < width * height + 2 * cw * ch)
    throw new RangeError(`downscaleYuv420ToRgba: ${yuv.length} bytes for a ${width}×${height} YUV 4:2:0 frame`);
  const xs = spans(width, outWidth);
  const ys = spans(height, outHeight);
  const uPlane = width * height;
  const vPlane = uPlane + cw * ch;
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = ys.from[oy]!;
    const y1 = ys.to[oy]!;
    const cy0 = y0 >> 1;
    const cy1 = Math.max(cy0 + 1, (y1 + 1) >> 1);
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = xs.from[ox]!;
      const x1 = xs.to[ox]!;
      const cx0 = x0 >> 1;
      const cx1 = Math.max(cx0 + 1, (x1 + 1) >> 1);
      const chromaCount = (cx1 - cx0) * (cy1 - cy0);
      const l = 1.164 * (boxSum(yuv, 0, width, x0, x1, y0, y1) / ((x1 - x0) * (y1 - y0)) - 16);
      const u = boxSum(yuv, uPlane, cw, cx0, cx1, cy0, cy1) / chromaCount - 128;
      const v = boxSum(yuv, vPlane, cw, cx0, cx1, cy0, cy1) / chromaCount - 128;
      const o = (oy * outWidth + ox) * 4;
      out[o] = l + 1.596 * v;
      out[o + 1] = l - 0.392 * u - 0.813 * v;
      out[o + 2] = l + 2.017 * u;
      out[o + 3] = 255;
    }
  }
  return out;
}
