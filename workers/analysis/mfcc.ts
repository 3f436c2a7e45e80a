// MFCC features for speaker analysis: 16 kHz mono samples in; 25 ms Hamming frames every 10 ms,
// pre-emphasis, radix-2 FFT power spectrum, mel filterbank, log, DCT-II → 19 cepstra without c0
// (c0 is loudness, not voice) plus their deltas, normalised per file. Returns a row-major matrix.

export interface MfccOptions {
  /** Samples per second of the input. Default 16 000. */
  sampleRate?: number;
  /** Seconds per analysis frame. Default 0.025. */
  frameLength?: number;
  /** Seconds between frame starts. Default 0.01. */
  hop?: number;
  /** Pre-emphasis coefficient (flattens the spectral tilt of voiced speech). Default 0.97. */
  preEmphasis?: number;
  /** Triangular mel filters. Default 26. */
  melBands?: number;
  /** Cepstral coefficients kept after c0. Default 19. */
  coefficients?: number;
  /** Frames each side used for the delta regression. Default 2. */
  deltaWidth?: number;
  /** Lowest and highest filter frequencies in Hz. Defaults 20 and sampleRate / 2. */
  fMin?: number;
  fMax?: number;
}

/** Frames × dim features, row-major; frame i starts at i · hop seconds. */
export interface Features {
  data: Float32Array;
  frames: number;
  dim: number;
  hop: number;
}

/**
 * In-place radix-2 FFT of a complex signal (re, im), length a power of two. Real input is simply
 * im = 0; at the sizes used here (512) the real-input packing trick is not worth its complexity.
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n & (n - 1)) throw new Error(`FFT length ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  const [cos, sin] = twiddles(n);
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const stride = n / size;
    for (let k = 0; k < half; k++) {
      const wr = cos[k * stride]!;
      const wi = sin[k * stride]!;
      for (let s = k; s < n; s += size) {
        const t = s + half;
        const xr = re[t]! * wr - im[t]! * wi;
        const xi = re[t]! * wi + im[t]! * wr;
        re[t] = re[s]! - xr;
        im[t] = im[s]! - xi;
        re[s] = re[s]! + xr;
        im[s] = im[s]! + xi;
      }
    }
  }
}

const twiddleCache = new Map<number, [Float64Array, Float64Array]>();

/** cos and sin of −2πk/n for k < n/2, computed once per FFT size. */
function twiddles(n: number): [Float64Array, Float64Array] {
  let t = twiddleCache.get(n);
  if (!t) {
    const angle = (k: number) => (-2 * Math.PI * k) / n;
    t = [
      Float64Array.from({ length: n / 2 }, (_, k) => Math.cos(angle(k))),
      Float64Array.from({ length: n / 2 }, (_, k) => Math.sin(angle(k))),
    ];
    twiddleCache.set(n, t);
  }
  return t;
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** Triangular filters on FFT bins 0..nfft/2, equally spaced on the mel scale. */
export function melFilterbank(bands: number, nfft: number, sampleRate: number, fMin: number, fMax: number): Float64Array[] {
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const edges = Array.from({ length: bands + 2 }, (_, i) => (melToHz(lo + ((hi - lo) * i) / (bands + 1)) * nfft) / sampleRate);
  return Array.from({ length: bands }, (_, b) => {
    const [l, c, r] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const f = new Float64Array(nfft / 2 + 1);
    for (let k = 0; k < f.length; k++) f[k] = Math.max(0, Math.min((k - l) / (c - l), (r - k) / (r - c)));
    return f;
  });
}

/** MFCCs + deltas of `samples` (unnormalised; see normalizeFeatures). */
export function mfcc(samples: Float32Array, o: MfccOptions = {}): Features {
  const extractor = new MfccExtractor(o);
  extractor.push(samples);
  return extractor.finish();
}

/**
 * mfcc over audio that arrives in chunks: only the samples of the frame being filled are held, so a
 * long file costs its features (38 floats per 10 ms, a sixth of its 16 kHz samples), not its audio.
 */
export class MfccExtractor {
  private readonly win: number;
  private readonly step: number;
  private readonly dim: number;
  private readonly hop: number;
  private readonly preEmphasis: number;
  private readonly coefficients: number;
  private readonly deltaWidth: number;
  private readonly hamming: Float64Array;
  private readonly filters: Float64Array[];
  private readonly spans: (readonly [number, number])[];
  private readonly dct: Float64Array[];
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly logMel: Float64Array;
  /** Samples from `bufferStart` on, plus the one before it (pre-emphasis looks one sample back). */
  private buffer: Float32Array;
  private buffered = 0;
  private bufferStart = 0;
  private previous = 0;
  private data: Float32Array;
  private frames = 0;

  constructor(o: MfccOptions = {}) {
    const {
      sampleRate = 16_000,
      frameLength = 0.025,
      hop = 0.01,
      preEmphasis = 0.97,
      melBands = 26,
      coefficients = 19,
      deltaWidth = 2,
    } = o;
    const { fMin = 20, fMax = sampleRate / 2 } = o;
    this.win = Math.round(frameLength * sampleRate);
    this.step = Math.round(hop * sampleRate);
    this.hop = hop;
    this.preEmphasis = preEmphasis;
    this.coefficients = coefficients;
    this.deltaWidth = deltaWidth;
    this.dim = 2 * coefficients;
    let nfft = 1;
    while (nfft < this.win) nfft <<= 1;
    this.hamming = Float64Array.from({ length: this.win }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (this.win - 1)));
    this.filters = melFilterbank(melBands, nfft, sampleRate, fMin, fMax);
    // Each triangle is non-zero over a few bins only.
    this.spans = this.filters.map((f) => [f.findIndex((v) => v > 0), f.findLastIndex((v) => v > 0) + 1] as const);
    // DCT-II rows 1..coefficients (c0 dropped).
    this.dct = Array.from({ length: coefficients }, (_, c) =>
      Float64Array.from({ length: melBands }, (_, b) => Math.cos((Math.PI * (c + 1) * (b + 0.5)) / melBands)),
    );
    this.re = new Float64Array(nfft);
    this.im = new Float64Array(nfft);
    this.logMel = new Float64Array(melBands);
    this.buffer = new Float32Array(Math.max(this.win, this.step) * 4);
    this.data = new Float32Array(1024 * this.dim);
  }

  push(samples: Float32Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.buffer.length - this.buffered, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + take), this.buffered);
      this.buffered += take;
      offset += take;
      this.drain();
    }
  }

  finish(): Features {
    const { frames, dim } = this;
    const data = this.data.slice(0, frames * dim);
    addDeltas(data, frames, dim, this.coefficients, this.deltaWidth);
    return { data, frames, dim, hop: this.hop };
  }

  /** Computes every frame the buffer holds whole, then drops the samples no later frame needs. */
  private drain(): void {
    let at = this.frames * this.step - this.bufferStart;
    while (at + this.win <= this.buffered) {
      this.frame(at);
      at += this.step;
    }
    const keep = Math.min(at, this.buffered);
    if (keep > 0) {
      this.previous = this.buffer[keep - 1]!;
      this.buffer.copyWithin(0, keep, this.buffered);
      this.buffered -= keep;
      this.bufferStart += keep;
    }
  }

  private frame(at: number): void {
    const { re, im, win, buffer, hamming, logMel, coefficients } = this;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < win; i++) {
      const prev = at + i > 0 ? buffer[at + i - 1]! : this.bufferStart > 0 ? this.previous : 0;
      re[i] = (buffer[at + i]! - this.preEmphasis * prev) * hamming[i]!;
    }
    fft(re, im);
    for (let b = 0; b < logMel.length; b++) {
      const filter = this.filters[b]!;
      const [from, to] = this.spans[b]!;
      let e = 0;
      for (let k = Math.max(0, from); k < to; k++) e += filter[k]! * (re[k]! * re[k]! + im[k]! * im[k]!);
      // The floor keeps digital silence finite.
      logMel[b] = Math.log(e + 1e-10);
    }
    if ((this.frames + 1) * this.dim > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    for (let c = 0; c < coefficients; c++) {
      const row = this.dct[c]!;
      let s = 0;
      for (let b = 0; b < logMel.length; b++) s += row[b]! * logMel[b]!;
      this.data[this.frames * this.dim + c] = s;
    }
    this.frames++;
  }
}

/** Fills columns [statics, 2·statics) with the regression deltas of columns [0, statics). */
function addDeltas(data: Float32Array, frames: number, dim: number, statics: number, width: number): void {
  let norm = 0;
  for (let k = 1; k <= width; k++) norm += 2 * k * k;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < statics; c++) {
      let s = 0;
      for (let k = 1; k <= width; k++) {
        const next = Math.min(frames - 1, f + k);
        const prev = Math.max(0, f - k);
        s += k * (data[next * dim + c]! - data[prev * dim + c]!);
      }
      data[f * dim + statics + c] = s / norm;
    }
  }
}

/** Per-file mean and variance normalisation, in place (removes channel and level differences). */
export function normalizeFeatures(features: Features): Features {
  const { data, frames, dim } = features;
  if (!frames) return features;
  for (let c = 0; c < dim; c++) {
    let sum = 0;
    let sq = 0;
    for (let f = 0; f < frames; f++) {
      const v = data[f * dim + c]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / frames;
    const std = Math.sqrt(Math.max(sq / frames - mean * mean, 1e-12));
    for (let f = 0; f < frames; f++) data[f * dim + c] = (data[f * dim + c]! - mean) / std;
  }
  return features;
}
