// Spectral clustering of segment embeddings (GMM supervectors) into speakers: cosine affinity
// binarised to each row's nearest neighbours (auto-tuned), graph Laplacian, eigengap for the speaker
// count (or a known count), then k-means on the leading eigenvectors. Returns one cluster label per embedding.

export interface SpectralOptions {
  /** Exact number of clusters when known; otherwise estimated by the eigengap. */
  numClusters?: number;
  /** Bounds for the estimated count. Defaults 1 and 6. */
  minClusters?: number;
  maxClusters?: number;
  /** Neighbour counts tried when auto-tuning the affinity's pruning. Default 8. */
  pruningSteps?: number;
  /** Embeddings clustered at most; more are subsampled evenly and the rest join the nearest centroid (Jacobi is cubic). Default 200. */
  maxPoints?: number;
}

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** Column j (vectors[i * n + j]) is the eigenvector of values[j]. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major) by cyclic Jacobi rotations. Without
 * `withVectors` only the values are computed (a third less work; `vectors` is then empty).
 */
export function symmetricEigen(matrix: Float64Array, n: number, withVectors = true, maxSweeps = 50): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const scale = a.reduce((s, x) => s + x * x, 0);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    // Converged when what is left off the diagonal is negligible next to the matrix itself.
    if (off <= 1e-20 * scale || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; withVectors && k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x * n + x]! - a[y * n + y]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(withVectors ? n * n : 0);
  for (let j = 0; withVectors && j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = v[i * n + order[j]!]!;
  return { values, vectors };
}

/**
 * k-means (Lloyd) with a deterministic farthest-point start from the first point. Rows of `points`
 * (n × dim, row-major). Returns a label per row.
 */
export function kMeans(points: Float64Array, dim: number, k: number, iterations = 50): Int32Array {
  const n = points.length / dim;
  const labels = new Int32Array(n);
  if (k <= 1 || n === 0) return labels;
  const dist2 = (i: number, centres: Float64Array, c: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (points[i * dim + d]! - centres[c * dim + d]!) ** 2;
    return s;
  };
  const centres = new Float64Array(k * dim);
  centres.set(points.subarray(0, dim), 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let far = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, dist2(i, centres, c - 1));
      if (nearest[i]! > nearest[far]!) far = i;
    }
    centres.set(points.subarray(far * dim, (far + 1) * dim), c * dim);
  }
  for (let it = 0; it < iterations; it++) {
    let changed = it === 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (dist2(i, centres, c) < dist2(i, centres, best)) best = c;
      if (labels[i] !== best) changed = true;
      labels[i] = best;
    }
    if (!changed) break;
    const counts = new Float64Array(k);
    const sums = new Float64Array(k * dim);
    for (let i = 0; i < n; i++) {
      counts[labels[i]!]! += 1;
      for (let d = 0; d < dim; d++) sums[labels[i]! * dim + d]! += points[i * dim + d]!;
    }
    for (let c = 0; c < k; c++) if (counts[c]) for (let d = 0; d < dim; d++) centres[c * dim + d] = sums[c * dim + d]! / counts[c]!;
  }
  return labels;
}

/** Cosine similarity matrix of the rows of `embeddings` (n × dim). */
export function cosineAffinity(embeddings: Float64Array, dim: number): Float64Array {
  const n = embeddings.length / dim;
  const norms = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += embeddings[i * dim + d]! ** 2;
    return Math.sqrt(s) || 1;
  });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += embeddings[i * dim + d]! * embeddings[j * dim + d]!;
      out[i * n + j] = out[j * n + i] = s / (norms[i]! * norms[j]!);
    }
  }
  return out;
}

/**
 * Cluster labels (0-based, numbered by first appearance) for the rows of `embeddings` (n × dim).
 * The affinity is binarised to each row's p most similar rows, with p auto-tuned as in NME-SC
 * (Park et al. 2019): the p whose Laplacian shows the largest eigengap relative to p and to its
 * spectrum. A fixed pruning either fragments a speaker's windows (small p) or links speakers (large p).
 */
export function spectralClustering(embeddings: Float64Array, dim: number, o: SpectralOptions = {}): Int32Array {
  const { minClusters = 1, maxClusters = 6, maxPoints = 200 } = o;
  const total = embeddings.length / dim;
  if (total === 0) return new Int32Array(0);
  const step = Math.max(1, total / maxPoints);
  const picked = Array.from({ length: Math.min(total, maxPoints) }, (_, i) => Math.floor(i * step));
  const n = picked.length;
  if (n < 3) return renumberByFirstAppearance(new Int32Array(n === total ? n : total));
  const sample = new Float64Array(n * dim);
  picked.forEach((p, i) => sample.set(embeddings.subarray(p * dim, (p + 1) * dim), i * dim));
  const cos = cosineAffinity(sample, dim);
  const ranked = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => j).sort((x, y) => cos[i * n + y]! - cos[i * n + x]! || x - y),
  );
  const hi = Math.max(1, Math.min(maxClusters, n - 1));
  const lo = Math.max(1, Math.min(minClusters, hi));
  let best: { score: number; k: number; p: number } | undefined;
  const candidates = pruningCandidates(n, o.pruningSteps ?? 8);
  for (const p of candidates) {
    const { values } = symmetricEigen(binarizedLaplacian(ranked, n, p), n, false);
    let k = lo;
    for (let c = lo; c <= hi; c++) if (values[c]! - values[c - 1]! > values[k]! - values[k - 1]!) k = c;
    const gap = (values[k]! - values[k - 1]!) / (values[n - 1]! || 1);
    const score = p / Math.max(gap, 1e-9);
    if (!best || score < best.score) best = { score, k: o.numClusters ?? k, p };
  }
  const { k: found, p } = best!;
  const eigen = symmetricEigen(binarizedLaplacian(ranked, n, p), n);
  const k = Math.max(1, Math.min(found, n));
  const rows = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rows[i * k + j] = eigen.vectors[i * n + j]!;
  const sampleLabels = kMeans(rows, k, k);
  const labels = n === total ? sampleLabels : assignToCentroids(embeddings, dim, sample, sampleLabels, k);
  return renumberByFirstAppearance(labels);
}

/** Neighbour counts tried for the binarised affinity: from 2 up to a quarter of the points. */
function pruningCandidates(n: number, steps: number): number[] {
  const top = Math.max(2, Math.floor(n / 4));
  const out = new Set<number>();
  for (let i = 0; i < steps; i++) out.add(Math.round(2 + ((top - 2) * i) / Math.max(1, steps - 1)));
  return [...out];
}

/** Unnormalised Laplacian D − A of the symmetrised graph linking each point to its p nearest (by `ranked`). */
function binarizedLaplacian(ranked: number[][], n: number, p: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (const j of ranked[i]!.slice(0, p + 1)) {
      a[i * n + j]! += 0.5;
      a[j * n + i]! += 0.5;
    }
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      degree += a[i * n + j]!;
      l[i * n + j] = -a[i * n + j]!;
    }
    l[i * n + i] = degree;
  }
  return l;
}

/** Labels for all embeddings: the cluster whose mean (of the clustered sample) is most cosine-similar. */
function assignToCentroids(all: Float64Array, dim: number, sample: Float64Array, sampleLabels: Int32Array, k: number): Int32Array {
  const centres = new Float64Array(k * dim);
  for (let i = 0; i < sampleLabels.length; i++) for (let d = 0; d < dim; d++) centres[sampleLabels[i]! * dim + d]! += sample[i * dim + d]!;
  const n = all.length / dim;
  const cn = Float64Array.from({ length: k }, (_, c) => Math.hypot(...centres.subarray(c * dim, (c + 1) * dim)) || 1);
  return Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    let bestSim = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += all[i * dim + d]! * centres[c * dim + d]!;
      if (s / cn[c]! > bestSim) {
        bestSim = s / cn[c]!;
        best = c;
      }
    }
    return best;
  });
}

/** Relabels so that cluster 0 is the first seen, 1 the next new one, and so on. */
export function renumberByFirstAppearance(labels: ArrayLike<number>): Int32Array {
  const map = new Map<number, number>();
  return Int32Array.from(labels, (l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}
