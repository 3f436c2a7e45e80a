// Unit tests for the active-speaker fusion on synthetic signals: a seeded random loudness envelope,
// mouths whose speed follows it (the speaker) or an unrelated one (a talking, muted listener) or
// nothing (a frozen face), turns, an A/V offset, silence; plus the signal helpers.
import { describe, expect, it } from 'vitest';
import {
  activeSpeaker,
  mouthOnGrid,
  mouthSpeed,
  rmsEnvelope,
  RmsEnvelope,
  runningMedian,
  trackLags,
  windowedCorrelation,
  type ActiveSpeakerInput,
  type MouthTrack,
} from './active-speaker';

const HOP = 0.04;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A syllable-like loudness: random values smoothed over 3 samples, in [0, 1]. */
function envelope(n: number, seed: number): number[] {
  const r = random(seed);
  const raw = Array.from({ length: n }, () => r());
  return raw.map((_, i) => ((raw[i - 1] ?? raw[i]!) + raw[i]! + (raw[i + 1] ?? raw[i]!)) / 3);
}

/** A mouth whose opening changes by `loudness` each frame (its speed is the loudness). */
function mouthFollowing(loudness: number[]): number[] {
  const out: number[] = [];
  let r = 0.2;
  for (const l of loudness) {
    r += (r > 0.2 ? -1 : 1) * 0.1 * l;
    out.push(r);
  }
  return out;
}

function track(face_id: number, ratios: (number | null)[], from = 0): MouthTrack {
  return { face_id, samples: ratios.map((ratio, i) => ({ timestamp: (from + i) * HOP, frame_number: from + i, ratio })) };
}

function input(tracks: MouthTrack[], env: number[], vad: number[] = env.map(() => 1)): ActiveSpeakerInput {
  return { video_fps: 25, total_frames: env.length, tracks, envelope: env, envelopeHop: HOP, vad, vadHop: HOP };
}

/** Two faces taking turns of `turn` samples: the speaker's mouth follows the audio, the listener's
 *  lips move to a speech of their own that nobody hears. */
function conversation(turns: number, turn: number, audioDelay = 0) {
  const n = turns * turn;
  const spoken = envelope(n, 1);
  const silentA = envelope(n, 2);
  const silentB = envelope(n, 3);
  const speaks = (i: number) => (Math.floor(i / turn) % 2 === 0 ? 'A' : 'B');
  const a = mouthFollowing(spoken.map((l, i) => (speaks(i) === 'A' ? l : silentA[i]!)));
  const b = mouthFollowing(spoken.map((l, i) => (speaks(i) === 'B' ? l : silentB[i]!)));
  const audio = spoken.map((_, i) => spoken[i - audioDelay] ?? 0);
  return { data: input([track(1, a), track(2, b)], audio), speaks };
}

function accuracy(result: ReturnType<typeof activeSpeaker>, speaks: (i: number) => string, turn: number) {
  const [a, b] = result.tracks;
  let right = 0;
  let counted = 0;
  a!.scores.forEach((s, i) => {
    const edge = Math.min(i % turn, turn - (i % turn));
    if (edge < 25) return;
    counted++;
    const winner = s.score > b!.scores[i]!.score ? 'A' : 'B';
    if (winner === speaks(i)) right++;
  });
  return right / counted;
}

describe('activeSpeaker', () => {
  it('finds the speaker whose mouth follows the audio, not the listener whose lips move too', () => {
    const turn = 150;
    const { data, speaks } = conversation(4, turn);
    const r = activeSpeaker(data);
    expect(accuracy(r, speaks, turn)).toBeGreaterThanOrEqual(0.95);
    const [a, b] = r.tracks;
    const mid = (t: number) => t * turn + turn / 2;
    expect(a!.scores[mid(0)]).toMatchObject({ speaking: true });
    expect(b!.scores[mid(0)]).toMatchObject({ speaking: false });
    expect(a!.scores[mid(1)]!.speaking).toBe(false);
    expect(b!.scores[mid(1)]!.speaking).toBe(true);
    expect(a!.speaking_fraction).toBeGreaterThan(0.35);
    expect(a!.speaking_fraction).toBeLessThan(0.65);
  });

  it('finds the A/V offset of a clip whose audio trails the picture', () => {
    const turn = 150;
    const { data, speaks } = conversation(4, turn, 3);
    expect(accuracy(activeSpeaker(data), speaks, turn)).toBeGreaterThanOrEqual(0.95);
  });

  it('lets nobody speak while the audio holds no speech', () => {
    const { data } = conversation(2, 150);
    const r = activeSpeaker({ ...data, vad: Array.from(data.vad, () => 0.05) });
    for (const t of r.tracks) {
      expect(Math.max(...t.scores.map((s) => s.score))).toBeLessThanOrEqual(0.05);
      expect(t.speaking_fraction).toBe(0);
    }
    expect(activeSpeaker({ ...data, vad: [] }).tracks[0]!.speaking_fraction).toBe(0);
  });

  it('judges a face alone in view by synchrony: speaking when its mouth follows the audio, not when frozen', () => {
    const audio = envelope(300, 4);
    expect(activeSpeaker(input([track(1, mouthFollowing(audio))], audio)).tracks[0]!.speaking_fraction).toBeGreaterThan(0.8);
    const frozen = audio.map((_, i) => 0.05 + 1e-4 * Math.sin(i));
    expect(activeSpeaker(input([track(1, frozen)], audio)).tracks[0]!.speaking_fraction).toBeLessThan(0.1);
    // Alone, a mouth moving to other words is only told apart less surely (chance correlations).
    const talkingToSomeoneElse = activeSpeaker(input([track(1, mouthFollowing(envelope(300, 9)))], audio)).tracks[0]!;
    expect(talkingToSomeoneElse.speaking_fraction).toBeLessThan(0.5);
  });

  it('returns the track-based result shape, one score per analysed frame of each track', () => {
    const audio = envelope(200, 6);
    const late = track(7, mouthFollowing(audio).slice(50, 120), 50);
    late.samples[10]!.ratio = null;
    const r = activeSpeaker(input([track(3, mouthFollowing(audio)), late], audio));
    expect(r).toMatchObject({ model: 'active_speaker', video_fps: 25, total_frames: 200, track_count: 2 });
    const t = r.tracks[1]!;
    expect(t).toMatchObject({ face_id: 7, first_seen: 2, last_seen: 119 * HOP });
    expect(t.scores).toHaveLength(70);
    expect(t.scores[0]).toEqual({ timestamp: 2, frame_number: 50, score: expect.any(Number), speaking: expect.any(Boolean) });
    for (const s of r.tracks.flatMap((x) => x.scores)) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('gives an empty result without tracks', () => {
    expect(activeSpeaker(input([], [0.1, 0.2]))).toEqual({
      model: 'active_speaker',
      video_fps: 25,
      total_frames: 2,
      track_count: 0,
      tracks: [],
    });
  });
});

describe('signal helpers', () => {
  it('rmsEnvelope: the RMS of windows centred on multiples of the hop', () => {
    const rate = 1000;
    const sine = Float32Array.from({ length: 1000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 50 * i) / rate));
    const e = rmsEnvelope(sine, rate, 0.04);
    expect(e).toHaveLength(26);
    expect(e[10]).toBeCloseTo(0.5 / Math.SQRT2, 3);
    expect(rmsEnvelope(new Float32Array(0), rate, 0.04)).toHaveLength(0);
  });

  it('RmsEnvelope: chunk by chunk, the same values as over the whole signal', () => {
    const rate = 16_000;
    const hop = 0.04;
    const r = random(3);
    const audio = Float32Array.from({ length: 16_000 * 3 + 123 }, () => r() - 0.5);
    // The windows written out: value k over samples [round((k − ½)·hop·rate), round((k + ½)·hop·rate)).
    const expected = Array.from({ length: Math.ceil(audio.length / (rate * hop) + 0.5) }, (_, k) => {
      const from = Math.max(0, Math.round((k - 0.5) * hop * rate));
      const to = Math.min(audio.length, Math.round((k + 0.5) * hop * rate));
      let sum = 0;
      for (let i = from; i < to; i++) sum += audio[i]! ** 2;
      return to > from ? Math.sqrt(sum / (to - from)) : 0;
    });
    const streamed = new RmsEnvelope(rate, hop);
    for (let at = 0; at < audio.length;) {
      const size = 1 + Math.floor(r() * 5000);
      streamed.push(audio.subarray(at, at + size));
      at += size;
    }
    const values = Array.from(streamed.finish());
    expect(values).toHaveLength(expected.length);
    values.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 5));
  });

  it('mouthOnGrid: interpolates across short gaps only, and skips missing ratios', () => {
    const samples = [
      { timestamp: 0, frame_number: 0, ratio: 0.1 },
      { timestamp: 0.08, frame_number: 2, ratio: 0.3 },
      { timestamp: 0.12, frame_number: 3, ratio: null },
      { timestamp: 0.6, frame_number: 15, ratio: 0.5 },
    ];
    const g = mouthOnGrid(samples, 17, 0.04, 0.25);
    expect(g[0]).toBeCloseTo(0.1);
    expect(g[1]).toBeCloseTo(0.2);
    expect(g[2]).toBeCloseTo(0.3);
    expect(g[5]).toBeNaN();
    expect(g[15]).toBeCloseTo(0.5);
    expect(g[16]).toBeNaN();
  });

  it('mouthSpeed: |Δ| of the moving average', () => {
    expect(Array.from(mouthSpeed(Float64Array.from([0, 1, 3, 3]), 1))).toEqual([NaN, 1, 2, 0]);
    const s = mouthSpeed(Float64Array.from([0, 3, 0, 3, 0]), 3);
    expect(s[2]).toBeCloseTo(1);
    expect(s[1]).toBeNaN();
  });

  it('windowedCorrelation: 1 for a copy at the right lag, lowered by the variance floor', () => {
    const a = Float64Array.from(envelope(100, 7));
    const b = Float64Array.from(a, (_, i) => a[i - 2] ?? 0);
    expect(windowedCorrelation(a, b, 10, [2], 0)[50]).toBeCloseTo(1, 6);
    expect(windowedCorrelation(a, b, 10, [0], 0)[50]).toBeLessThan(0.9);
    expect(windowedCorrelation(a, b, 10, [2], 1)[50]).toBeLessThan(0.5);
    expect(trackLags(a, b, new Float64Array(100).fill(1), 5, 1)(50)).toEqual([1, 2, 3]);
  });

  it('trackLags: follows audio that drifts against the picture, stretch by stretch', () => {
    const a = Float64Array.from(envelope(400, 7));
    // The sound trails the mouth by 1 sample in the first half and by 4 in the second.
    const b = Float64Array.from(a, (_, i) => a[i - (i < 200 ? 1 : 4)] ?? 0);
    const speech = new Float64Array(400).fill(1);
    const local = trackLags(a, b, speech, 5, 0, 40);
    expect(local(60)).toEqual([1]);
    expect(local(340)).toEqual([4]);
    // One offset for the whole clip fits only one of the halves.
    const whole = trackLags(a, b, speech, 5, 0);
    expect(whole(60)).toEqual(whole(340));
    // Where nothing is said, the stretch borrows the whole clip's offset.
    const silentStart = Float64Array.from(speech, (_, i) => (i < 100 ? 0 : 1));
    expect(trackLags(a, b, silentStart, 5, 0, 20)(10)).toEqual(trackLags(a, b, silentStart, 5, 0)(10));
  });

  it('runningMedian: ignores missing values and keeps them missing', () => {
    const m = runningMedian(Float64Array.from([1, 9, 2, NaN, 3]), 1);
    expect(Array.from(m)).toEqual([5, 2, 5.5, NaN, 3]);
  });
});
