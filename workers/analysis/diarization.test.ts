// diarize() on synthetic voices (harmonic sources with different pitch and spectral tilt, in turns):
// the right count and turns, known counts, determinism; plus its parts — Viterbi smoothing, BIC
// merging and pause bridging.
import { describe, expect, it } from 'vitest';
import { diarizationErrorRate } from './der';
import { absorbShortSegments, bridgePauses, diarize, mergeByBic, viterbi } from './diarization';
import { mfcc, normalizeFeatures } from './mfcc';

const SR = 16_000;

function noise(seed: number) {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) % 4294967296) / 4294967296) * 2 - 1;
}

/** A voice: harmonics of f0 (with a slow pitch wobble) whose amplitude falls as k^-tilt, plus breath noise. */
function voice(f0: number, tilt: number, seconds: number, seed: number): Float32Array {
  const rnd = noise(seed);
  const out = new Float32Array(Math.round(seconds * SR));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f = f0 * (1 + 0.08 * Math.sin((2 * Math.PI * 3 * i) / SR + seed));
    phase += (2 * Math.PI * f) / SR;
    let v = 0;
    for (let k = 1; k * f0 < 4000; k++) v += Math.sin(k * phase) / k ** tilt;
    // Syllable-like loudness changes so that frames differ as speech frames do.
    out[i] = 0.3 * v * (0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * i) / SR)) + 0.02 * rnd();
  }
  return out;
}

/** Alternating turns of `voices`, separated by 0.4 s of near silence; with the truth as turns. */
function conversation(voices: [number, number][], turns: number, turnSeconds: number) {
  const parts: Float32Array[] = [];
  const truth: { start: number; end: number; speaker: string }[] = [];
  let t = 0;
  const rnd = noise(99);
  for (let i = 0; i < turns; i++) {
    const silence = Float32Array.from({ length: 0.4 * SR }, () => 0.001 * rnd());
    const [f0, tilt] = voices[i % voices.length]!;
    parts.push(silence, voice(f0, tilt, turnSeconds, i + 1));
    truth.push({ start: t + 0.4, end: t + 0.4 + turnSeconds, speaker: `v${i % voices.length}` });
    t += 0.4 + turnSeconds;
  }
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { features: normalizeFeatures(mfcc(samples)), truth };
}

describe('diarize', () => {
  const two = conversation(
    [
      [110, 1.2],
      [230, 2.2],
    ],
    6,
    3,
  );

  it('finds two voices and their turns, speakers numbered by first appearance', () => {
    const segments = diarize(two.features, two.truth, { maxBridge: 0 });
    expect(new Set(segments.map((s) => s.speaker))).toEqual(new Set(['S1', 'S2']));
    expect(segments[0]!.speaker).toBe('S1');
    expect(diarizationErrorRate(two.truth, segments).der).toBeLessThan(0.05);
  });

  it('uses a known count and is deterministic', () => {
    const a = diarize(two.features, two.truth, { numSpeakers: 2 });
    expect(new Set(a.map((s) => s.speaker)).size).toBe(2);
    expect(diarize(two.features, two.truth, { numSpeakers: 2 })).toEqual(a);
    // Pauses of 0.4 s are bridged: the turns tile the speech without gaps.
    for (let i = 1; i < a.length; i++) expect(a[i]!.start).toBe(a[i - 1]!.end);
  });

  it('separates three voices when told there are three', () => {
    const three = conversation(
      [
        [110, 1.2],
        [230, 2.2],
        [170, 0.5],
      ],
      9,
      2.5,
    );
    const segments = diarize(three.features, three.truth, { numSpeakers: 3 });
    expect(new Set(segments.map((s) => s.speaker)).size).toBe(3);
    expect(diarizationErrorRate(three.truth, segments).der).toBeLessThan(0.15);
  });

  it('returns nothing without speech', () => {
    expect(diarize(two.features, [])).toEqual([]);
  });
});

describe('viterbi', () => {
  it('ignores a short blip that does not pay for two switches, but follows a long one', () => {
    const frames = (pattern: number[]) => Float64Array.from(pattern.flatMap((p) => (p ? [0, 1] : [1, 0])));
    const blip = [...Array(20).fill(0), 1, 1, ...Array(20).fill(0)];
    expect(Array.from(viterbi(frames(blip), 2, 5)).every((s) => s === 0)).toBe(true);
    const turn = [...Array(20).fill(0), ...Array(20).fill(1)];
    expect(Array.from(viterbi(frames(turn), 2, 5))).toEqual(turn);
  });
});

describe('mergeByBic', () => {
  const rnd = noise(5);
  const gauss = (m: number) => Array.from({ length: 2 }, () => m + rnd() + rnd() + rnd());
  // Three clusters, of which 0 and 1 come from the same distribution.
  const rows = [...Array(300)].map((_, i) => gauss(i < 200 ? 0 : 4));
  const data = Float32Array.from(rows.flat());
  const labels = Int32Array.from(rows.map((_, i) => (i < 100 ? 0 : i < 200 ? 1 : 2)));

  it('merges clusters of the same source and keeps different ones', () => {
    expect(Array.from(new Set(mergeByBic(data, 2, labels, { dims: 2 })))).toEqual([0, 1]);
  });

  it('respects minClusters and maxClusters', () => {
    expect(new Set(mergeByBic(data, 2, labels, { dims: 2, minClusters: 3 })).size).toBe(3);
    expect(new Set(mergeByBic(data, 2, labels, { dims: 2, maxClusters: 1 })).size).toBe(1);
  });

  it('with a ratio, merges the sounds of one voice however long the input, and keeps the voices apart', () => {
    // Two voices, each split into two clusters of different sounds (means 2 apart); the voices 8 apart.
    const voices = (perCluster: number) => {
      const r = noise(7);
      const g = (mx: number, my: number) => [mx + r() + r() + r(), my + r() + r() + r()];
      const centres = [
        [0, 0],
        [2, 0],
        [0, 8],
        [2, 8],
      ] as const;
      const rows = centres.flatMap(([mx, my]) => [...Array(perCluster)].map(() => g(mx, my)));
      return {
        data: Float32Array.from(rows.flat()),
        labels: Int32Array.from(rows.map((_, i) => Math.floor(i / perCluster))),
        voice: rows.map((_, i) => (i < 2 * perCluster ? 0 : 1)),
      };
    };
    for (const perCluster of [100, 3000]) {
      const v = voices(perCluster);
      expect(Array.from(mergeByBic(v.data, 2, v.labels, { dims: 2, ratio: 1.8 }))).toEqual(v.voice);
    }
    // The plain BIC's loss grows with the frames and its penalty with their logarithm: on the long
    // input it keeps the sounds apart.
    const long = voices(3000);
    expect(new Set(mergeByBic(long.data, 2, long.labels, { dims: 2 })).size).toBeGreaterThan(2);
  });
});

describe('bridgePauses', () => {
  it('extends a turn through a short pause, up to the next voice', () => {
    const s = [
      { start: 0, end: 1, speaker: 'S1' },
      { start: 1.5, end: 2, speaker: 'S1' },
      { start: 3, end: 4, speaker: 'S2' },
      { start: 8, end: 9, speaker: 'S1' },
    ];
    expect(bridgePauses(s, 1.5)).toEqual([
      { start: 0, end: 3, speaker: 'S1' },
      { start: 3, end: 4, speaker: 'S2' },
      { start: 8, end: 9, speaker: 'S1' },
    ]);
  });
});

describe('absorbShortSegments', () => {
  it('joins a blip to the longer touching neighbour and leaves isolated short segments alone', () => {
    const s = [
      { start: 0, end: 0.1, speaker: 'A' },
      { start: 0.1, end: 3, speaker: 'B' },
      { start: 3, end: 3.2, speaker: 'A' },
      { start: 3.2, end: 4, speaker: 'C' },
      { start: 6, end: 6.2, speaker: 'A' },
    ];
    expect(absorbShortSegments(s, 0.3)).toEqual([
      { start: 0, end: 3.2, speaker: 'B' },
      { start: 3.2, end: 4, speaker: 'C' },
      { start: 6, end: 6.2, speaker: 'A' },
    ]);
  });
});
