// Spectral clustering: Jacobi eigen-decomposition against A·v = λ·v, deterministic k-means, the
// eigengap count on well-separated groups (and one group), a known count, and subsampling.
import { describe, expect, it } from 'vitest';
import { kMeans, renumberByFirstAppearance, spectralClustering, symmetricEigen } from './clustering';

function normals(seed: number) {
  let s = seed;
  const u = () => ((s = (s * 1664525 + 1013904223) % 4294967296) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** `counts[g]` noisy copies of a random direction per group, interleaved like turns of speech. */
function groups(counts: number[], dim: number, noise: number, seed = 7) {
  const rnd = normals(seed);
  const directions = counts.map(() => Array.from({ length: dim }, rnd));
  const truth: number[] = [];
  const rows: number[] = [];
  const turns = Math.max(...counts);
  for (let t = 0; t < turns; t += 5) {
    counts.forEach((c, g) => {
      for (let i = t; i < Math.min(c, t + 5); i++) {
        truth.push(g);
        rows.push(...directions[g]!.map((v) => v + noise * rnd()));
      }
    });
  }
  return { data: Float64Array.from(rows), truth };
}

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix into ascending eigenpairs', () => {
    const n = 6;
    const rnd = normals(3);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i * n + j] = m[j * n + i] = rnd();
    const { values, vectors } = symmetricEigen(m, n);
    for (let j = 1; j < n; j++) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]!);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += m[i * n + k]! * vectors[k * n + j]!;
        expect(av).toBeCloseTo(values[j]! * vectors[i * n + j]!, 8);
      }
    }
  });
});

describe('kMeans', () => {
  it('separates two groups of points', () => {
    const pts = Float64Array.from([0, 0, 0.1, 0, 5, 5, 5.1, 5, 0, 0.2, 5, 5.2]);
    expect(Array.from(kMeans(pts, 2, 2))).toEqual([0, 0, 1, 1, 0, 1]);
  });
});

const agreement = (labels: Int32Array, truth: number[]) => labels.filter((l, i) => l === truth[i]).length / truth.length;

describe('spectralClustering', () => {
  it('estimates two and three groups by the eigengap, labelled by first appearance', () => {
    for (const counts of [
      [40, 30],
      [30, 30, 25],
    ]) {
      const { data, truth } = groups(counts, 20, 0.6);
      const labels = spectralClustering(data, 20);
      expect(new Set(labels).size).toBe(counts.length);
      expect(agreement(labels, truth)).toBe(1);
    }
  });

  it('finds one group when there is one', () => {
    const { data } = groups([60], 20, 0.6);
    expect(new Set(spectralClustering(data, 20)).size).toBe(1);
  });

  it('uses a known count, and keeps the estimate inside its bounds', () => {
    const { data } = groups([30, 30, 25], 20, 0.6);
    expect(new Set(spectralClustering(data, 20, { numClusters: 2 })).size).toBe(2);
    expect(new Set(spectralClustering(data, 20, { maxClusters: 2 })).size).toBe(2);
    expect(new Set(spectralClustering(data, 20, { minClusters: 4 })).size).toBeGreaterThanOrEqual(4);
  });

  it('subsamples many embeddings and still labels all of them', () => {
    const { data, truth } = groups([150, 150], 20, 0.6);
    const labels = spectralClustering(data, 20, { maxPoints: 60 });
    expect(labels.length).toBe(300);
    expect(agreement(labels, truth)).toBe(1);
  });

  it('renumbers labels by first appearance', () => {
    expect(Array.from(renumberByFirstAppearance([2, 2, 0, 1, 0]))).toEqual([0, 0, 1, 2, 1]);
  });
});
