// Sample-rate conversion of mono audio with a windowed-sinc low-pass (Blackman window, eight zero
// crossings each side, cut-off at 95 % of the lower Nyquist frequency), the kernel tabulated once per
// call: what the analyses need of ffmpeg's `-ar 16000` (voice activity and the loudness envelope),
// for audio the browser preview decodes itself. Fed samples and the two rates; returns new samples.

/** Kernel table steps per input sample. */
const RESOLUTION = 512;
const ZERO_CROSSINGS = 8;

export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (!(from > 0 && to > 0)) throw new RangeError(`resample: rates must be positive (${from} → ${to})`);
  if (from === to) return samples.slice();
  const step = from / to;
  // Cut-off in cycles per input sample ×2 (1 = the input's Nyquist frequency).
  const cutoff = 0.95 * Math.min(1, to / from);
  const half = Math.ceil(ZERO_CROSSINGS / cutoff);
  const table = new Float32Array(2 * half * RESOLUTION + 1);
  for (let i = 0; i < table.length; i++) {
    const x = i / RESOLUTION - half;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
    const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / half) + 0.08 * Math.cos((2 * Math.PI * x) / half);
    table[i] = cutoff * sinc * w;
  }
  const out = new Float32Array(Math.round((samples.length * to) / from));
  const last = samples.length - 1;
  for (let n = 0; n < out.length; n++) {
    const centre = n * step;
    const first = Math.max(0, Math.ceil(centre - half));
    const end = Math.min(last, Math.floor(centre + half));
    let sum = 0;
    for (let i = first; i <= end; i++) sum += samples[i]! * table[Math.round((i - centre + half) * RESOLUTION)]!;
    out[n] = sum;
  }
  return out;
}
