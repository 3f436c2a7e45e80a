// Diagonal GMM: EM recovers well-separated clusters deterministically, likelihoods prefer the right
// model, and MAP-adapted supervectors separate data drawn from different sources.
import { describe, expect, it } from 'vitest';
import { adaptedSupervector, adaptMeans, frameLogLikelihoods, framePosteriors, trainGmm } from './gmm';

/** Deterministic pseudo-random normal numbers (LCG + Box–Muller). */
function normals(seed: number) {
  let s = seed;
  const u = () => ((s = (s * 1664525 + 1013904223) % 4294967296) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function blobs(centres: number[][], perBlob: number, sd: number, seed = 1): Float32Array {
  const rnd = normals(seed);
  const dim = centres[0]!.length;
  const out = new Float32Array(centres.length * perBlob * dim);
  let i = 0;
  for (const c of centres) for (let n = 0; n < perBlob; n++) for (let d = 0; d < dim; d++) out[i++] = c[d]! + sd * rnd();
  return out;
}

describe('trainGmm', () => {
  const centres = [
    [-9, 0],
    [-3, 1],
    [3, -1],
    [9, 0],
  ];
  const data = blobs(centres, 300, 0.5);

  it('finds separated clusters, with weights summing to one', () => {
    const g = trainGmm(data, 2, { components: 4, iterations: 15 });
    expect(g.weights.length).toBe(4);
    expect(g.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const c of centres) {
      const near = Array.from({ length: 4 }, (_, k) => Math.hypot(g.means[2 * k]! - c[0]!, g.means[2 * k + 1]! - c[1]!));
      expect(Math.min(...near)).toBeLessThan(0.3);
    }
  });

  it('is deterministic', () => {
    const a = trainGmm(data, 2, { components: 4 });
    const b = trainGmm(data, 2, { components: 4 });
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
  });

  it('floors variances so a constant dimension stays finite', () => {
    const flat = new Float32Array(200).map((_, i) => (i % 2 ? 1 : i / 200));
    const g = trainGmm(flat, 2, { components: 2 });
    expect(frameLogLikelihoods(g, flat).every(Number.isFinite)).toBe(true);
  });
});

describe('scoring and adaptation', () => {
  // Overlapping sources share the background components, as voices do.
  const a = blobs([[0, 0, 0]], 400, 1, 2);
  const b = blobs([[1.5, -1, 0]], 400, 1, 3);
  const both = new Float32Array([...a, ...b]);
  const ubm = trainGmm(both, 3, { components: 4 });

  it('gives posteriors that sum to one per frame', () => {
    const p = framePosteriors(ubm, a.subarray(0, 30));
    for (let f = 0; f < 10; f++) expect(p.subarray(f * 4, f * 4 + 4).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
  });

  it('adapts speaker models that prefer their own data', () => {
    const ma = adaptMeans(ubm, a);
    const mb = adaptMeans(ubm, b);
    const mean = (v: Float64Array) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(mean(frameLogLikelihoods(ma, a))).toBeGreaterThan(mean(frameLogLikelihoods(mb, a)));
    expect(mean(frameLogLikelihoods(mb, b))).toBeGreaterThan(mean(frameLogLikelihoods(ma, b)));
  });

  it('makes supervectors closer within a source than across sources', () => {
    const p = framePosteriors(ubm, both);
    const sv = (from: number) => adaptedSupervector(ubm, both, p, from, from + 100);
    const dist = (x: Float64Array, y: Float64Array) => Math.hypot(...x.map((v, i) => v - y[i]!));
    expect(dist(sv(0), sv(200))).toBeLessThan(dist(sv(0), sv(500)) / 2);
  });
});
