// Diagonal-covariance Gaussian mixtures for speaker modelling: trained by EM from a deterministic
// binary-splitting start (random starts swung DER from 4 to 40 % on one clip), scored per frame, and
// MAP-adapted (means only) to a segment to give the supervector that stands for that segment.

/** K components over D dimensions; means and variances are K × D row-major. */
export interface Gmm {
  weights: Float64Array;
  means: Float64Array;
  variances: Float64Array;
  dim: number;
}

export interface GmmOptions {
  /** Components of the final model (rounded up to a power of two by the splitting). Default 16. */
  components?: number;
  /** EM iterations after each split. Default 6. */
  iterations?: number;
  /** Smallest variance per dimension, relative to the data's global variance. Default 0.01. */
  varianceFloor?: number;
  /** Split offset, in standard deviations of the split component. Default 0.5. */
  splitOffset?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Fits a GMM to `data` (frames × dim, row-major). */
export function trainGmm(data: Float32Array, dim: number, o: GmmOptions = {}): Gmm {
  const { components = 16, iterations = 6, varianceFloor = 0.01, splitOffset = 0.5 } = o;
  const frames = data.length / dim;
  if (!frames) throw new Error('trainGmm needs at least one frame');
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let f = 0; f < frames; f++) for (let d = 0; d < dim; d++) mean[d]! += data[f * dim + d]! / frames;
  for (let f = 0; f < frames; f++) for (let d = 0; d < dim; d++) variance[d]! += (data[f * dim + d]! - mean[d]!) ** 2 / frames;
  const floor = variance.map((v) => Math.max(v * varianceFloor, 1e-6));
  for (let d = 0; d < dim; d++) variance[d] = Math.max(variance[d]!, floor[d]!);
  let gmm: Gmm = { weights: Float64Array.of(1), means: mean, variances: variance, dim };
  while (gmm.weights.length < components) {
    gmm = split(gmm, splitOffset);
    for (let i = 0; i < iterations; i++) gmm = emStep(gmm, data, floor);
  }
  return gmm;
}

/**
 * Every component becomes two, pushed ± offset · σ apart along its widest dimension. (Pushing along
 * every dimension at once lets the narrow dimensions dominate the likelihood, and EM then splits the
 * wrong way.)
 */
function split(g: Gmm, offset: number): Gmm {
  const k = g.weights.length;
  const { dim } = g;
  const weights = new Float64Array(2 * k);
  const means = new Float64Array(2 * k * dim);
  const variances = new Float64Array(2 * k * dim);
  for (let c = 0; c < k; c++) {
    let widest = 0;
    for (let d = 1; d < dim; d++) if (g.variances[c * dim + d]! > g.variances[c * dim + widest]!) widest = d;
    for (const [j, sign] of [
      [2 * c, 1],
      [2 * c + 1, -1],
    ] as const) {
      weights[j] = g.weights[c]! / 2;
      means.set(g.means.subarray(c * dim, (c + 1) * dim), j * dim);
      variances.set(g.variances.subarray(c * dim, (c + 1) * dim), j * dim);
      means[j * dim + widest] = means[j * dim + widest]! + sign * offset * Math.sqrt(g.variances[c * dim + widest]!);
    }
  }
  return { weights, means, variances, dim };
}

/** Per-component constant: log w − ½ Σ log(2π σ²). */
function logNorms(g: Gmm): Float64Array {
  return g.weights.map((w, c) => {
    let s = Math.log(Math.max(w, 1e-300));
    for (let d = 0; d < g.dim; d++) s -= 0.5 * (LOG_2PI + Math.log(g.variances[c * g.dim + d]!));
    return s;
  });
}

/**
 * Component log-joint densities of one frame into `out` (length K); returns the frame's
 * log-likelihood. `norms` is logNorms(g), precomputed by the callers.
 */
function frameJoint(g: Gmm, norms: Float64Array, x: Float32Array, at: number, out: Float64Array): number {
  const { dim } = g;
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) {
    let s = norms[c]!;
    const base = c * dim;
    for (let d = 0; d < dim; d++) {
      const diff = x[at + d]! - g.means[base + d]!;
      s -= (0.5 * diff * diff) / g.variances[base + d]!;
    }
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += Math.exp(out[c]! - max);
  return max + Math.log(sum);
}

function emStep(g: Gmm, data: Float32Array, floor: Float64Array): Gmm {
  const { dim } = g;
  const k = g.weights.length;
  const frames = data.length / dim;
  const norms = logNorms(g);
  const joint = new Float64Array(k);
  const n = new Float64Array(k);
  const sx = new Float64Array(k * dim);
  const sxx = new Float64Array(k * dim);
  for (let f = 0; f < frames; f++) {
    const at = f * dim;
    const ll = frameJoint(g, norms, data, at, joint);
    for (let c = 0; c < k; c++) {
      const p = Math.exp(joint[c]! - ll);
      if (p < 1e-8) continue;
      n[c]! += p;
      for (let d = 0; d < dim; d++) {
        const v = data[at + d]!;
        sx[c * dim + d]! += p * v;
        sxx[c * dim + d]! += p * v * v;
      }
    }
  }
  const out: Gmm = { weights: new Float64Array(k), means: new Float64Array(k * dim), variances: new Float64Array(k * dim), dim };
  for (let c = 0; c < k; c++) {
    // A component that lost all its frames keeps its old parameters with a negligible weight.
    const nc = n[c]!;
    out.weights[c] = Math.max(nc / frames, 1e-6);
    for (let d = 0; d < dim; d++) {
      const i = c * dim + d;
      const m = nc > 1e-3 ? sx[i]! / nc : g.means[i]!;
      out.means[i] = m;
      out.variances[i] = Math.max(nc > 1e-3 ? sxx[i]! / nc - m * m : g.variances[i]!, floor[d]!);
    }
  }
  const total = out.weights.reduce((a, b) => a + b, 0);
  for (let c = 0; c < k; c++) out.weights[c] = out.weights[c]! / total;
  return out;
}

/** Log-likelihood of every frame of `data` under `g`. */
export function frameLogLikelihoods(g: Gmm, data: Float32Array): Float64Array {
  const frames = data.length / g.dim;
  const norms = logNorms(g);
  const joint = new Float64Array(g.weights.length);
  const out = new Float64Array(frames);
  for (let f = 0; f < frames; f++) out[f] = frameJoint(g, norms, data, f * g.dim, joint);
  return out;
}

/** Component posteriors of every frame (frames × K, row-major): computed once, reused per window. */
export function framePosteriors(g: Gmm, data: Float32Array): Float64Array {
  const k = g.weights.length;
  const frames = data.length / g.dim;
  const norms = logNorms(g);
  const joint = new Float64Array(k);
  const out = new Float64Array(frames * k);
  for (let f = 0; f < frames; f++) {
    const ll = frameJoint(g, norms, data, f * g.dim, joint);
    for (let c = 0; c < k; c++) out[f * k + c] = Math.exp(joint[c]! - ll);
  }
  return out;
}

/**
 * MAP-adapted means of `g` to frames [from, to) of `data` (with their `posteriors`), as a supervector:
 * each component's mean shift scaled by √w / σ, so that Euclidean distance between supervectors
 * approximates the KL divergence between the adapted models. `relevance` is the MAP prior weight
 * (frames); default 16.
 */
export function adaptedSupervector(
  g: Gmm,
  data: Float32Array,
  posteriors: Float64Array,
  from: number,
  to: number,
  relevance = 16,
): Float64Array {
  const { dim } = g;
  const k = g.weights.length;
  const n = new Float64Array(k);
  const sx = new Float64Array(k * dim);
  for (let f = from; f < to; f++) {
    for (let c = 0; c < k; c++) {
      const p = posteriors[f * k + c]!;
      if (p < 1e-6) continue;
      n[c]! += p;
      for (let d = 0; d < dim; d++) sx[c * dim + d]! += p * data[f * dim + d]!;
    }
  }
  const out = new Float64Array(k * dim);
  for (let c = 0; c < k; c++) {
    const alpha = n[c]! / (n[c]! + relevance);
    const scale = Math.sqrt(g.weights[c]!);
    for (let d = 0; d < dim; d++) {
      const i = c * dim + d;
      const m = g.means[i]!;
      const adapted = n[c]! > 0 ? alpha * (sx[i]! / n[c]!) + (1 - alpha) * m : m;
      out[i] = (scale * (adapted - m)) / Math.sqrt(g.variances[i]!);
    }
  }
  return out;
}

/** A copy of `g` with its means MAP-adapted to `data` (a speaker model derived from the background model). */
export function adaptMeans(g: Gmm, data: Float32Array, relevance = 16): Gmm {
  const posteriors = framePosteriors(g, data);
  const frames = data.length / g.dim;
  const sv = adaptedSupervector(g, data, posteriors, 0, frames, relevance);
  const means = g.means.map((m, i) => m + (sv[i]! * Math.sqrt(g.variances[i]!)) / Math.sqrt(g.weights[Math.floor(i / g.dim)]!));
  return { ...g, means };
}
