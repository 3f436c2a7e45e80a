// Unit tests for the scene-cut detector and the scene list built from its cuts.
// Fed synthetic clips (flat colours, block textures with sensor noise, pans, fades, dissolves, flashes)
// with known transitions; returns nothing (vitest assertions). Real decoded video is the node side's test.
import { describe, expect, it } from 'vitest';
import { SceneDetector, scenesFromCuts, type SceneCut, type SceneDetectorOptions, toHsv } from './scene-detector';

const W = 96;
const H = 54;
const FPS = 30;

type Rgb = Uint8Array;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function image(pixel: (x: number, y: number) => [number, number, number]): Rgb {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++)
      data.set(
        pixel(x, y).map((v) => Math.max(0, Math.min(255, Math.round(v)))),
        (y * W + x) * 3,
      );
  }
  return data;
}

const flat = (r: number, g: number, b: number) => image(() => [r, g, b]);

/** Random coloured 6-px blocks: a picture with detail, different for every seed. */
function texture(seed: number, shift = 0): Rgb {
  const random = rng(seed);
  const cols = Math.ceil((W + 400) / 6);
  const colours = Array.from(
    { length: cols * Math.ceil(H / 6) },
    () => [random() * 255, random() * 255, random() * 255] as [number, number, number],
  );
  return image((x, y) => colours[Math.floor(y / 6) * cols + Math.floor((x + shift) / 6)]!);
}

/** A smooth diagonal colour ramp, moved `shift` pixels to the left: a slow pan over a plain scene. */
const gradient = (shift: number) => image((x, y) => [40 + x + shift, 60 + y * 2, 220 - (x + shift) * 0.8]);

const mix = (a: Rgb, b: Rgb, t: number) => a.map((v, i) => v * (1 - t) + b[i]! * t);
const scale = (a: Rgb, k: number) => a.map((v) => Math.min(255, v * k));

/** Every frame gets its own sensor noise, so still shots score a little above zero as real ones do. */
function noisy(frames: Rgb[], seed = 7): Rgb[] {
  const random = rng(seed);
  return frames.map((f) => f.map((v) => Math.max(0, Math.min(255, v + Math.round((random() - 0.5) * 4)))));
}

const hold = (picture: Rgb, n: number): Rgb[] => Array.from({ length: n }, () => picture);
const ramp = (n: number, frame: (t: number) => Rgb): Rgb[] => Array.from({ length: n }, (_, i) => frame((i + 1) / (n + 1)));

type Run = { cuts: SceneCut[]; pushed: SceneCut[] };

function detect(frames: Rgb[], options: SceneDetectorOptions = {}, { step = 1, t0 = 0 } = {}): Run {
  const detector = new SceneDetector(options);
  const pushed: SceneCut[] = [];
  frames.forEach((data, index) => {
    if (index % step === 0) pushed.push(...detector.push({ index, timestamp: t0 + index / FPS, width: W, height: H, data }));
  });
  return { cuts: [...pushed, ...detector.flush()], pushed };
}

const frameNumbers = (run: Run) => run.cuts.map((c) => c.frame);

const A = texture(1);
const B = texture(2);
const C = texture(3);

describe('SceneDetector: hard cuts', () => {
  it.each([
    ['flat colours', flat(200, 40, 40), flat(40, 60, 200)],
    ['textures with noise', A, B],
    ['a texture and its darker, bluer twin', A, scale(A, 0.6).map((v, i) => (i % 3 === 2 ? Math.min(255, v + 60) : v))],
  ])('finds a cut between %s on the exact frame', (_, first, second) => {
    const run = detect(noisy([...hold(first, 60), ...hold(second, 60)]));
    expect(frameNumbers(run)).toEqual([60]);
    expect(run.cuts[0]!.timestamp).toBeCloseTo(2, 9);
    expect(run.cuts[0]!.score).toBeGreaterThanOrEqual(15);
  });

  it('reports the frame number and presentation time it was given', () => {
    const run = detect(noisy([...hold(A, 40), ...hold(B, 40)]), {}, { t0: 0.852 });
    expect(run.cuts).toMatchObject([{ frame: 40, timestamp: 0.852 + 40 / FPS }]);
  });

  it('reports a cut from push once its look-ahead is past, not only at flush', () => {
    const run = detect(noisy([...hold(A, 60), ...hold(B, 240)]));
    expect(run.pushed.map((c) => c.frame)).toEqual([60]);
  });

  it('finds cuts within one sampled frame when only every second frame is pushed', () => {
    const run = detect(noisy([...hold(A, 61), ...hold(B, 60), ...hold(C, 60)]), {}, { step: 2 });
    expect(frameNumbers(run)).toEqual([62, 122]);
  });

  it('does not keep the pushed buffers: a reused frame buffer gives the same cuts', () => {
    const frames = noisy([...hold(A, 50), ...hold(B, 50), ...hold(C, 50)]);
    const detector = new SceneDetector();
    const buffer = new Uint8Array(W * H * 3);
    const cuts: SceneCut[] = [];
    frames.forEach((f, index) => {
      buffer.set(f);
      cuts.push(...detector.push({ index, timestamp: index / FPS, width: W, height: H, data: buffer }));
    });
    cuts.push(...detector.flush());
    expect(cuts.map((c) => c.frame)).toEqual([50, 100]);
  });
});

describe('SceneDetector: changes that are not cuts', () => {
  it('gives no cut for a slowly panning gradient', () => {
    expect(detect(noisy(Array.from({ length: 180 }, (_, i) => gradient(i * 0.5)))).cuts).toEqual([]);
  });

  it('gives no cut for a pan across a detailed scene (every frame changes a lot)', () => {
    expect(detect(noisy(Array.from({ length: 180 }, (_, i) => texture(4, i * 2)))).cuts).toEqual([]);
  });

  it.each([
    ['a white frame', [flat(255, 255, 255)]],
    ['an over-exposed frame', [scale(A, 2.5)]],
    ['two white frames', [flat(255, 255, 255), flat(250, 250, 250)]],
  ])('gives no cut for a flash: %s within a shot', (_, flash) => {
    expect(detect(noisy([...hold(A, 50), ...flash, ...hold(A, 50)])).cuts).toEqual([]);
  });

  it('gives one cut, not two, for a flash right at a cut', () => {
    expect(frameNumbers(detect(noisy([...hold(A, 50), flat(255, 255, 255), ...hold(B, 50)])))).toHaveLength(1);
  });

  it('gives no cut for a dip to black and back into the same shot', () => {
    const frames = [
      ...hold(A, 60),
      ...ramp(10, (t) => scale(A, 1 - t)),
      ...hold(flat(0, 0, 0), 10),
      ...ramp(10, (t) => scale(A, t)),
      ...hold(A, 60),
    ];
    expect(detect(noisy(frames)).cuts).toEqual([]);
  });

  it('gives no cut when the video starts or ends in black', () => {
    const frames = [
      ...hold(flat(0, 0, 0), 40),
      ...ramp(15, (t) => scale(A, t)),
      ...hold(A, 60),
      ...ramp(15, (t) => scale(A, 1 - t)),
      ...hold(flat(0, 0, 0), 40),
    ];
    expect(detect(noisy(frames)).cuts).toEqual([]);
  });
});

describe('SceneDetector: gradual transitions', () => {
  it('puts one cut in the middle of the dark run of a fade out and in', () => {
    const frames = noisy([
      ...hold(A, 60),
      ...ramp(15, (t) => scale(A, 1 - t)),
      ...hold(flat(0, 0, 0), 15),
      ...ramp(15, (t) => scale(B, t)),
      ...hold(B, 60),
    ]);
    const dark = frames.map((f, i) => ({ i, luma: mean(f) })).filter((f) => f.luma < 12);
    const firstDark = dark[0]!.i;
    const firstBright = dark[dark.length - 1]!.i + 1;
    const run = detect(frames);
    expect(frameNumbers(run)).toEqual([Math.floor((firstDark + firstBright) / 2)]);
  });

  it('finds one cut inside a 1 s cross-dissolve between two textures', () => {
    const run = detect(noisy([...hold(A, 60), ...ramp(FPS, (t) => mix(A, B, t)), ...hold(B, 60)]));
    expect(run.cuts).toHaveLength(1);
    expect(run.cuts[0]!.frame).toBeGreaterThanOrEqual(60 + 10);
    expect(run.cuts[0]!.frame).toBeLessThan(60 + FPS - 10);
  });

  it('finds one cut inside a fade through white', () => {
    const white = flat(255, 255, 255);
    const run = detect(noisy([...hold(A, 60), ...ramp(15, (t) => mix(A, white, t)), ...ramp(15, (t) => mix(white, B, t)), ...hold(B, 60)]));
    expect(run.cuts).toHaveLength(1);
    expect(run.cuts[0]!.frame).toBeGreaterThanOrEqual(60);
    expect(run.cuts[0]!.frame).toBeLessThan(90);
  });

  it('keeps hard cuts exact next to a dissolve', () => {
    const frames = [...hold(A, 60), ...ramp(FPS, (t) => mix(A, B, t)), ...hold(B, 60), ...hold(C, 60)];
    const run = detect(noisy(frames));
    expect(run.cuts).toHaveLength(2);
    expect(run.cuts[1]!.frame).toBe(150);
  });
});

describe('SceneDetector: minimum scene length', () => {
  it('keeps only the first of two cuts closer than minSceneLen', () => {
    expect(frameNumbers(detect(noisy([...hold(A, 60), ...hold(B, 10), ...hold(C, 60)])))).toEqual([60]);
  });

  it('keeps both cuts when they are minSceneLen apart, at any setting', () => {
    expect(frameNumbers(detect(noisy([...hold(A, 60), ...hold(B, 18), ...hold(C, 60)])))).toEqual([60, 78]);
    expect(frameNumbers(detect(noisy([...hold(A, 60), ...hold(B, 10), ...hold(C, 60)]), { minSceneLen: 0.3 }))).toEqual([60, 70]);
  });

  it('drops a cut closer than minSceneLen to the first frame', () => {
    expect(detect(noisy([...hold(A, 10), ...hold(B, 60)])).cuts).toEqual([]);
  });
});

describe('SceneDetector: input checks', () => {
  it('rejects a buffer of the wrong size, a missing timestamp and a bad window', () => {
    const detector = new SceneDetector();
    expect(() => detector.push({ index: 0, timestamp: 0, width: W, height: H, data: new Uint8Array(10) })).toThrow(RangeError);
    expect(() => detector.push({ index: 0, timestamp: NaN, width: W, height: H, data: A })).toThrow(RangeError);
    expect(() => new SceneDetector({ window: 0 })).toThrow(RangeError);
  });
});

describe('scenesFromCuts', () => {
  const video = { totalFrames: 300, duration: 10.852, fps: 30, firstFrameTimestamp: 0.852 };

  it('makes one scene of a video without cuts', () => {
    expect(scenesFromCuts([], video)).toEqual([{ index: 0, start: 0.852, end: 10.852, start_frame: 0, end_frame: 299 }]);
  });

  it('ends each scene where the next starts (time exclusive, last frame inclusive)', () => {
    const cuts = [
      { frame: 60, timestamp: 2.852, score: 40 },
      { frame: 150, timestamp: 5.852, score: 30 },
    ];
    expect(scenesFromCuts(cuts, video)).toEqual([
      { index: 0, start: 0.852, end: 2.852, start_frame: 0, end_frame: 59 },
      { index: 1, start: 2.852, end: 5.852, start_frame: 60, end_frame: 149 },
      { index: 2, start: 5.852, end: 10.852, start_frame: 150, end_frame: 299 },
    ]);
  });

  it('sorts the cuts and ignores those at frame 0, repeated or past the last frame', () => {
    const cuts = [
      { frame: 150, timestamp: 5.852, score: 30 },
      { frame: 0, timestamp: 0.852, score: 50 },
      { frame: 60, timestamp: 2.852, score: 40 },
      { frame: 60, timestamp: 2.852, score: 40 },
      { frame: 300, timestamp: 10.852, score: 40 },
    ];
    expect(scenesFromCuts(cuts, video).map((s) => s.start_frame)).toEqual([0, 60, 150]);
  });

  it('gives the last scene at least one frame when the duration is short of the last cut', () => {
    const [, last] = scenesFromCuts([{ frame: 299, timestamp: 10.82, score: 40 }], { ...video, duration: 10.8 });
    expect(last).toMatchObject({ start: 10.82, start_frame: 299, end_frame: 299 });
    expect(last!.end).toBeCloseTo(10.82 + 1 / 30, 9);
  });
});

function mean(f: Rgb): number {
  let total = 0;
  for (let i = 0; i < f.length; i += 3) total += 0.299 * f[i]! + 0.587 * f[i + 1]! + 0.114 * f[i + 2]!;
  return total / (f.length / 3);
}

describe('toHsv', () => {
  // OpenCV's 8-bit RGB→HSV written with divisions, as the tables must reproduce it exactly.
  const reference = (r: number, g: number, b: number) => {
    const max = Math.max(r, g, b);
    const d = max - Math.min(r, g, b);
    let h = 0;
    if (d > 0) {
      if (max === r) h = (60 * (g - b)) / d;
      else if (max === g) h = 120 + (60 * (b - r)) / d;
      else h = 240 + (60 * (r - g)) / d;
      if (h < 0) h += 360;
    }
    return [Math.round(h / 2) % 180, max === 0 ? 0 : Math.round((255 * d) / max), max];
  };

  it('matches the division formula on a lattice of colours including the extremes', () => {
    const out = new Uint8Array(3);
    const levels = [...Array.from({ length: 52 }, (_, i) => i * 5), 1, 2, 3, 254];
    let mismatches = 0;
    for (const r of levels) {
      for (const g of levels) {
        for (const b of levels) {
          toHsv(r, g, b, out, 0);
          const [h, s, v] = reference(r, g, b);
          if (out[0] !== h || out[1] !== s || out[2] !== v) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });
});
