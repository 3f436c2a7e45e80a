// Small RGBA pictures straight from a planar YUV 4:2:0 frame (limited range, BT.601, as ffmpeg converts
// an untagged stream), converted once per output pixel. `downscaleYuv420ToRgba` averages the source
// pixels each output pixel covers (the preview's 192-px face pictures, where the server scales with
// swscale's `bilinear`, which also widens to the footprint); `sampleYuv420ToRgba` samples four of them
// (the 96-px scene pictures, where the server scales with `fast_bilinear`). A canvas draw converts the
// whole 720p frame to RGB first (measured 12.5 ms a frame in headless Chromium). Fed the frame's bytes
// and sizes; return RGBA bytes of the output size.

/** The chroma planes' size and offsets of a planar YUV 4:2:0 frame; throws unless `yuv` holds a whole one. */
function planes(caller: string, yuv: Uint8Array, width: number, height: number) {
  const cw = width >> 1;
  const ch = height >> 1;
  if (width % 2 || height % 2 || yuv.length < width * height + 2 * cw * ch)
    throw new RangeError(`${caller}: ${yuv.length} bytes for a ${width}×${height} YUV 4:2:0 frame`);
  return { cw, ch, uPlane: width * height, vPlane: width * height + cw * ch };
}

/** One opaque RGBA pixel from scaled luma `l` (already 1.164·(Y − 16)) and centred chroma, BT.601. */
function putRgb(out: Uint8ClampedArray, o: number, l: number, u: number, v: number): void {
  out[o] = l + 1.596 * v;
  out[o + 1] = l - 0.392 * u - 0.813 * v;
  out[o + 2] = l + 2.017 * u;
  out[o + 3] = 255;
}

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
  const { cw, uPlane, vPlane } = planes('downscaleYuv420ToRgba', yuv, width, height);
  const xs = spans(width, outWidth);
  const ys = spans(height, outHeight);
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
      putRgb(out, (oy * outWidth + ox) * 4, l, u, v);
    }
  }
  return out;
}

/** Source positions and weights of a bilinear resample: output pixel i's centre mapped into the source,
 *  the two neighbouring pixels (clamped to the edge) and the second one's weight. */
function taps(source: number, output: number): { at: Int32Array; next: Int32Array; weight: Float32Array } {
  const at = new Int32Array(output);
  const next = new Int32Array(output);
  const weight = new Float32Array(output);
  for (let i = 0; i < output; i++) {
    const x = Math.min(source - 1, Math.max(0, ((i + 0.5) * source) / output - 0.5));
    at[i] = Math.floor(x);
    next[i] = Math.min(source - 1, at[i]! + 1);
    weight[i] = x - at[i]!;
  }
  return { at, next, weight };
}

function bilinear(
  plane: Uint8Array,
  offset: number,
  stride: number,
  x0: number,
  x1: number,
  wx: number,
  y0: number,
  y1: number,
  wy: number,
) {
  const r0 = offset + y0 * stride;
  const r1 = offset + y1 * stride;
  const top = plane[r0 + x0]! + (plane[r0 + x1]! - plane[r0 + x0]!) * wx;
  const bottom = plane[r1 + x0]! + (plane[r1 + x1]! - plane[r1 + x0]!) * wx;
  return top + (bottom - top) * wy;
}

/**
 * A small RGBA picture sampled bilinearly from a planar YUV 4:2:0 frame: four source pixels a plane
 * per output pixel, as the server's scene detection scales its frames (ffmpeg `fast_bilinear`), where
 * `downscaleYuv420ToRgba` reads every byte. For the preview's 96-px scene pictures, one per frame.
 */
export function sampleYuv420ToRgba(yuv: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8ClampedArray {
  const { cw, ch, uPlane, vPlane } = planes('sampleYuv420ToRgba', yuv, width, height);
  const lx = taps(width, outWidth);
  const ly = taps(height, outHeight);
  const cx = taps(cw, outWidth);
  const cy = taps(ch, outHeight);
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const l = 1.164 * (bilinear(yuv, 0, width, lx.at[ox]!, lx.next[ox]!, lx.weight[ox]!, ly.at[oy]!, ly.next[oy]!, ly.weight[oy]!) - 16);
      const u = bilinear(yuv, uPlane, cw, cx.at[ox]!, cx.next[ox]!, cx.weight[ox]!, cy.at[oy]!, cy.next[oy]!, cy.weight[oy]!) - 128;
      const v = bilinear(yuv, vPlane, cw, cx.at[ox]!, cx.next[ox]!, cx.weight[ox]!, cy.at[oy]!, cy.next[oy]!, cy.weight[oy]!) - 128;
      putRgb(out, (oy * outWidth + ox) * 4, l, u, v);
    }
  }
  return out;
}
