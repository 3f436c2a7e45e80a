// Streaming scene-cut detector after PySceneDetect: an adaptive content score for hard cuts
// (AdaptiveDetector), dark runs for fades through black (ThresholdDetector, fade_bias 0), and a
// one-second look for dissolves. Fed small packed-RGB24 frames in decoding order; returns cuts as
// they become certain (`push`) and the rest at the end (`flush`), plus `scenesFromCuts` to list scenes.

export type SceneDetectorFrame = {
  /** Decoded video frame number, from 0. Frames may be sampled (every n-th) but must come in order. */
  index: number;
  /** Presentation time in seconds. */
  timestamp: number;
  width: number;
  height: number;
  /** Packed RGB24, width*height*3 bytes, already downscaled (about 160 px wide is plenty). */
  data: Uint8Array;
};

/** A scene boundary: `frame` and `timestamp` are those of the first frame of the new scene. */
export type SceneCut = {
  frame: number;
  timestamp: number;
  /** How big the change was, 0–255: for a hard cut the frame's content_val, for a fade the
   *  content_val between the pictures either side of the dark run, for a dissolve the mean RGB
   *  difference across it. */
  score: number;
};

export type SceneDetectorOptions = {
  /** Frames either side whose mean score a frame's score is divided by (AdaptiveDetector's
   *  window_width). Default: the frames in 0.1 s at the interval of the first two frames, at least 1
   *  (3 at 25–30 fps, 2 at 15–24, 1 at 10 or fewer). PySceneDetect's 2 let a hand sweeping through a
   *  dark 29.97 fps shot pass as a cut (ratio 3.2); 3 at full rate missed a cut at 10 fps (3.0). */
  window?: number;
  /** A frame is a cut when its score is at least this many times the mean of its neighbours'. Default 3. */
  adaptiveThreshold?: number;
  /** …and its score (content_val, 0–255) is at least this. Default 15. */
  minContentVal?: number;
  /** Seconds: a cut closer than this to the previous cut or to the first frame is dropped. Seconds
   *  rather than frames so the same value holds at any sampling rate. Default 0.6. */
  minSceneLen?: number;
  /** Mean luma (0–255) below which a frame counts as dark: a dark run between two different
   *  pictures is a fade through black, with one cut in its middle. Default 12. */
  fadeThreshold?: number;
  /** Seconds over which a gradual change (cross-dissolve, fade through a flat colour) is measured:
   *  the picture is compared with the one this long before. Transitions up to this long are found
   *  whole and cut in their middle; those within this time of either end of the video are not looked
   *  for. Dissolve cuts are reported about twice this late. Default 1. */
  dissolveSpan?: number;
  /** Least change across a dissolve (mean absolute RGB difference, 0–255, between block-averaged
   *  pictures `dissolveSpan` apart) for it to count as a cut; motion within a shot stays below. Default 20. */
  minDissolveVal?: number;
  /** …and at least this many times the same measure just before and just after the transition,
   *  i.e. the motion of the shots either side. Lower than adaptiveThreshold because a second of
   *  motion adds up: 3 missed a dissolve between a wide and a close view of one speaker. Default 2. */
  dissolveThreshold?: number;
};

type Settings = Required<Omit<SceneDetectorOptions, 'window'>> & Pick<SceneDetectorOptions, 'window'>;

const DEFAULTS: Settings = {
  adaptiveThreshold: 3,
  minContentVal: 15,
  minSceneLen: 0.6,
  fadeThreshold: 12,
  dissolveSpan: 1,
  minDissolveVal: 20,
  dissolveThreshold: 2,
};

// Block averages, in RGB, compare frames further apart than one step: they drop noise and fine
// motion, a few of them fit in memory at any frame rate, and a cross-dissolve is linear in RGB (not
// in HSV, where hue flips early), so the halfway point of its change is its middle.
const BLOCKS = 1024;
// Snapshots for the dissolve comparison are kept this often per dissolveSpan, so the lag is between
// dissolveSpan and 1.125 × dissolveSpan whatever the frame rate.
const SNAPSHOTS_PER_SPAN = 8;
// A candidate whose change is more than half undone a few frames later is a flash (camera flash,
// one or two inserted frames), not a cut.
const FLASH_REVERT = 0.5;
// A gradual change whose biggest single step is at least half the whole change is a hard cut
// (perhaps amid motion), which is the adaptive score's job, not a dissolve.
const DISSOLVE_MAX_STEP = 0.5;
// AdaptiveDetector caps the ratio here, which is also what a cut after perfectly still frames gets.
const MAX_RATIO = 255;
const EPSILON = 1e-5;
const WINDOW_SECONDS = 0.1;

type Kind = 'cut' | 'dissolve' | 'fade' | 'dip';
// Where candidates from different sources conflict, the one that understands the transition best
// wins: a fade knows its dark run, a dissolve its extent; the adaptive score only sees single frames.
const PRIORITY: Record<Kind, number> = { cut: 1, dissolve: 2, fade: 3, dip: 3 };

type Candidate = SceneCut & {
  kind: Kind;
  /** Times the transition covers; candidates inside it belong to it. */
  spanStart: number;
  spanEnd: number;
};

type Stamp = { index: number; timestamp: number };

/** Per-frame facts the stages share: `hsv` is interleaved H, S, V per pixel (OpenCV's 8-bit ranges),
 *  `blocks` interleaved R, G, B block averages. */
type Features = Stamp & { hsv: Uint8Array; blocks: Uint8Array; luma: number };

export class SceneDetector {
  private readonly adaptive: AdaptiveStage;
  private readonly fade: FadeStage;
  private readonly dissolve: DissolveStage;
  private readonly arbiter: Arbiter;
  private prev: Features | null = null;

  constructor(options: SceneDetectorOptions = {}) {
    const o: Settings = { ...DEFAULTS, ...options };
    if (o.window !== undefined && !(Number.isInteger(o.window) && o.window >= 1)) throw new RangeError('window must be an integer ≥ 1');
    if (!(o.dissolveSpan > 0)) throw new RangeError('dissolveSpan must be positive');
    this.adaptive = new AdaptiveStage(o);
    this.fade = new FadeStage(o);
    this.dissolve = new DissolveStage(o);
    this.arbiter = new Arbiter(o.minSceneLen);
  }

  /** Cuts come out once nothing later can move or veto them: with the defaults about 2.6 s
   *  (2 × dissolveSpan + minSceneLen) after the cut frame. The frame's buffer is not kept. */
  push(frame: SceneDetectorFrame): SceneCut[] {
    const f = features(frame);
    const prev = this.prev;
    if (prev && f.hsv.length !== prev.hsv.length) throw new RangeError('frame size changed mid-stream');
    // Full-resolution score for hard cuts, as PySceneDetect; the coarse step feeds the dissolve check.
    const score = prev ? meanAbsDiff(f.hsv, prev.hsv) : null;
    const step = prev ? meanAbsDiff(f.blocks, prev.blocks) : 0;
    this.prev = f;
    const found = [...this.adaptive.push(f, score), ...this.fade.push(f), ...this.dissolve.push(f, step)];
    this.arbiter.start(f.timestamp);
    return this.arbiter.release(found, Math.min(this.adaptive.horizon(), this.fade.horizon(), this.dissolve.horizon()));
  }

  /** The cuts still held back for look-ahead; the detector is spent afterwards. */
  flush(): SceneCut[] {
    const found = [...this.adaptive.flush(), ...this.fade.flush(), ...this.dissolve.flush()];
    return this.arbiter.release(found, Infinity);
  }
}

/** One scene: `start`/`end` in seconds with `end` exclusive (the next scene's start, or the video's
 *  duration for the last); `start_frame`/`end_frame` are both inside the scene (`end_frame` is the
 *  next scene's start_frame − 1, or totalFrames − 1 for the last). */
export type Scene = { index: number; start: number; end: number; start_frame: number; end_frame: number };

export type SceneVideo = {
  /** Decoded frames in the video. */
  totalFrames: number;
  /** End of the video on the presentation timeline, in seconds (where the last scene ends). */
  duration: number;
  fps: number;
  /** Presentation time of frame 0, where the first scene starts (often not 0). */
  firstFrameTimestamp: number;
};

/** Scenes covering the whole video from its cuts; no cuts gives one scene. Cuts outside the video or
 *  not after the previous one are ignored, and the last scene lasts at least one frame (1/fps). */
export function scenesFromCuts(cuts: readonly SceneCut[], video: SceneVideo): Scene[] {
  const lastFrame = Math.max(0, video.totalFrames - 1);
  const starts: Stamp[] = [{ index: 0, timestamp: video.firstFrameTimestamp }];
  for (const cut of [...cuts].sort((a, b) => a.frame - b.frame)) {
    const previous = starts[starts.length - 1]!;
    if (cut.frame > previous.index && cut.frame <= lastFrame && cut.timestamp > previous.timestamp) {
      starts.push({ index: cut.frame, timestamp: cut.timestamp });
    }
  }
  return starts.map((s, i) => {
    const next = starts[i + 1];
    return {
      index: i,
      start: s.timestamp,
      end: next ? next.timestamp : Math.max(video.duration, s.timestamp + 1 / video.fps),
      start_frame: s.index,
      end_frame: next ? next.index - 1 : lastFrame,
    };
  });
}

/** Hard cuts: AdaptiveDetector's ratio of a frame's score to its neighbours', plus a flash check. */
class AdaptiveStage {
  // Oldest first: the frame before the earliest neighbour (for the flash check), up to `window`
  // neighbours before the target, the target, and up to `window` after it.
  private frames: (Stamp & { blocks: Uint8Array; score: number | null })[] = [];
  private target = 0;
  private window: number | undefined;

  constructor(private readonly o: Settings) {
    this.window = o.window;
  }

  push(f: Features, score: number | null): Candidate[] {
    this.frames.push({ index: f.index, timestamp: f.timestamp, blocks: f.blocks, score });
    const [first, second] = this.frames;
    if (this.window === undefined && first && second) {
      const interval = second.timestamp - first.timestamp;
      this.window = interval > 0 ? Math.max(1, Math.round(WINDOW_SECONDS / interval)) : 1;
    }
    const found: Candidate[] = [];
    while (this.window !== undefined && this.target + this.window < this.frames.length) found.push(...this.evaluate());
    return found;
  }

  flush(): Candidate[] {
    const found: Candidate[] = [];
    while (this.target < this.frames.length) found.push(...this.evaluate());
    return found;
  }

  horizon(): number {
    return (this.frames[this.target] ?? this.frames[this.frames.length - 1])?.timestamp ?? -Infinity;
  }

  private evaluate(): Candidate[] {
    const w = this.window ?? 1;
    const t = this.target;
    const e = this.frames[t]!;
    const neighbours = [...this.frames.slice(Math.max(0, t - w), t), ...this.frames.slice(t + 1, t + 1 + w)]
      .map((n) => n.score)
      .filter((s): s is number => s !== null);
    const found: Candidate[] =
      e.score !== null && this.isCut(e.score, neighbours) && !this.isFlash(t)
        ? [{ frame: e.index, timestamp: e.timestamp, score: e.score, kind: 'cut', spanStart: e.timestamp, spanEnd: e.timestamp }]
        : [];
    this.target++;
    const drop = Math.max(0, this.target - w - 1);
    this.frames.splice(0, drop);
    this.target -= drop;
    return found;
  }

  private isCut(score: number, neighbours: number[]): boolean {
    const mean = neighbours.reduce((a, b) => a + b, 0) / Math.max(1, neighbours.length);
    const ratio = mean < EPSILON ? MAX_RATIO : Math.min(score / mean, MAX_RATIO);
    return ratio >= this.o.adaptiveThreshold && score >= this.o.minContentVal;
  }

  /** The newest frame looks again like one of the frames before the target: the change was undone. */
  private isFlash(t: number): boolean {
    const e = this.frames[t]!;
    const before = this.frames.slice(0, t);
    const latest = this.frames[this.frames.length - 1]!;
    if (!before.length || latest === e) return false;
    const jump = meanAbsDiff(before[before.length - 1]!.blocks, e.blocks);
    return before.some((b) => meanAbsDiff(b.blocks, latest.blocks) < FLASH_REVERT * jump);
  }
}

/** Fades through black: a run of dark frames between two different pictures gives one cut in the
 *  middle of the run. A dark run at either end of the video, or between two views of the same shot,
 *  is no cut, and it vetoes the cuts the adaptive score finds at its edges. */
class FadeStage {
  private run: { start: Stamp; before: Uint8Array | null } | null = null;
  private lastNormal: Uint8Array | null = null;
  private last: Stamp | null = null;

  constructor(private readonly o: Settings) {}

  push(f: Features): Candidate[] {
    this.last = f;
    if (f.luma < this.o.fadeThreshold) {
      this.run ??= { start: { index: f.index, timestamp: f.timestamp }, before: this.lastNormal };
      return [];
    }
    this.lastNormal = f.blocks;
    const run = this.run;
    if (!run) return [];
    this.run = null;
    const span = { spanStart: run.start.timestamp, spanEnd: f.timestamp };
    const change = run.before ? meanAbsDiff(hsvOf(run.before), hsvOf(f.blocks)) : 0;
    if (change < this.o.minContentVal)
      return [{ ...span, frame: run.start.index, timestamp: run.start.timestamp, score: change, kind: 'dip' }];
    // ThresholdDetector's split with fade_bias 0: halfway between the first dark and first bright frame.
    const frame = Math.floor((run.start.index + f.index) / 2);
    const at = (frame - run.start.index) / Math.max(1, f.index - run.start.index);
    const timestamp = run.start.timestamp + at * (f.timestamp - run.start.timestamp);
    return [{ ...span, frame, timestamp, score: change, kind: 'fade' }];
  }

  flush(): Candidate[] {
    const run = this.run;
    this.run = null;
    if (!run || !this.last) return [];
    return [
      {
        frame: run.start.index,
        timestamp: run.start.timestamp,
        score: 0,
        kind: 'dip',
        spanStart: run.start.timestamp,
        spanEnd: this.last.timestamp,
      },
    ];
  }

  horizon(): number {
    return this.run ? this.run.start.timestamp : (this.last?.timestamp ?? -Infinity);
  }
}

type LagSample = Stamp & { lag: number | null; step: number };

/** Dissolves and fades through a flat colour: each frame is compared with a snapshot `dissolveSpan`
 *  earlier. A gradual transition makes that difference rise and fall as a bump about two spans wide,
 *  standing well above the level before and after it (steady motion keeps it level), while no single
 *  frame step makes most of it (that would be a hard cut). The cut goes where the bump's rising edge
 *  is halfway up: the middle of the transition. */
class DissolveStage {
  private snapshots: { timestamp: number; blocks: Uint8Array }[] = [];
  private samples: LagSample[] = [];
  private next = 0;

  constructor(private readonly o: Settings) {}

  push(f: Features, step: number): Candidate[] {
    const span = this.o.dissolveSpan;
    const snapshots = this.snapshots;
    while (snapshots.length > 1 && snapshots[1]!.timestamp <= f.timestamp - span) snapshots.shift();
    const base = snapshots[0];
    const lag = base && base.timestamp <= f.timestamp - span ? meanAbsDiff(base.blocks, f.blocks) : null;
    const newest = snapshots[snapshots.length - 1];
    if (!newest || f.timestamp - newest.timestamp >= span / SNAPSHOTS_PER_SPAN)
      snapshots.push({ timestamp: f.timestamp, blocks: f.blocks });
    this.samples.push({ index: f.index, timestamp: f.timestamp, lag, step });

    const found: Candidate[] = [];
    while (this.next < this.samples.length && this.samples[this.next]!.timestamp + span <= f.timestamp) {
      found.push(...this.evaluate(this.next));
      this.next++;
    }
    // The next peak to judge looks back one span, and one sample further for the level before the bump.
    const keepFrom = this.samples.findIndex((s) => s.timestamp > (this.samples[this.next]?.timestamp ?? f.timestamp) - span);
    const drop = Math.max(0, keepFrom - 1);
    this.samples.splice(0, drop);
    this.next -= drop;
    return found;
  }

  /** Transitions that end within dissolveSpan of the end cannot be told from steady change, so are left. */
  flush(): Candidate[] {
    return [];
  }

  horizon(): number {
    const s = this.samples[this.next] ?? this.samples[this.samples.length - 1];
    return s ? s.timestamp - this.o.dissolveSpan : -Infinity;
  }

  private evaluate(i: number): Candidate[] {
    const span = this.o.dissolveSpan;
    const samples = this.samples;
    const peak = samples[i]!;
    if (peak.lag === null || peak.lag < this.o.minDissolveVal) return [];
    let beforeAt = -1;
    for (let j = i - 1; j >= 0; j--) {
      const s = samples[j]!;
      if (s.timestamp > peak.timestamp + EPSILON - span) {
        if (s.lag !== null && s.lag >= peak.lag) return [];
      } else {
        beforeAt = j;
        break;
      }
    }
    let after: number | null = null;
    for (let j = i + 1; j < samples.length; j++) {
      const s = samples[j]!;
      if (s.lag !== null && s.lag > peak.lag) return [];
      if (s.timestamp >= peak.timestamp + span - EPSILON) {
        after = s.lag;
        break;
      }
    }
    const before = samples[beforeAt]?.lag ?? null;
    if (before === null || after === null) return [];
    if (peak.lag < this.o.dissolveThreshold * Math.max(before, after, EPSILON)) return [];
    const rise = peak.lag - before;
    let start = i;
    let biggestStep = 0;
    for (let j = i; j > beforeAt; j--) biggestStep = Math.max(biggestStep, samples[j]!.step);
    if (biggestStep >= DISSOLVE_MAX_STEP * rise) return [];
    while (start - 1 > beforeAt && (samples[start - 1]!.lag ?? 0) >= before + rise / 2) start--;
    const cut = samples[start]!;
    return [
      {
        frame: cut.index,
        timestamp: cut.timestamp,
        score: peak.lag,
        kind: 'dissolve',
        spanStart: Math.max(peak.timestamp - span, 2 * cut.timestamp - peak.timestamp),
        spanEnd: peak.timestamp,
      },
    ];
  }
}

/** Merges the stages' candidates into cuts at least minSceneLen apart. Candidates arrive late and out
 *  of order, so each is held until no candidate that could conflict with it can still come: the
 *  `horizon` is the earliest time any stage may still report. Of conflicting candidates the higher
 *  priority wins, and among equals the first (PySceneDetect's rule: a cut too close to the previous
 *  one is dropped). */
class Arbiter {
  private pending: Candidate[] = [];
  private vetoes: Candidate[] = [];
  private previous: { timestamp: number; spanEnd: number } | null = null;

  constructor(private readonly minSceneLen: number) {}

  /** The first frame counts as a cut for minSceneLen. */
  start(timestamp: number): void {
    this.previous ??= { timestamp, spanEnd: timestamp };
  }

  release(found: Candidate[], horizon: number): SceneCut[] {
    this.pending.push(...found);
    this.pending.sort((a, b) => a.timestamp - b.timestamp);
    const out: SceneCut[] = [];
    while (this.pending.length && this.pending[0]!.timestamp + this.minSceneLen <= horizon) {
      const c = this.pending.shift()!;
      if (c.kind === 'dip') {
        this.vetoes.push(c);
        continue;
      }
      const previous = this.previous;
      const tooClose = previous && (c.timestamp - previous.timestamp < this.minSceneLen || c.timestamp <= previous.spanEnd);
      const beaten = [...this.pending, ...this.vetoes].some((h) => PRIORITY[h.kind] > PRIORITY[c.kind] && this.conflict(h, c));
      if (tooClose || beaten) continue;
      this.previous = c;
      out.push({ frame: c.frame, timestamp: c.timestamp, score: c.score });
    }
    this.vetoes = this.vetoes.filter((v) => v.spanEnd >= horizon - this.minSceneLen);
    return out;
  }

  private conflict(a: Candidate, b: Candidate): boolean {
    const claims = (x: Candidate, t: number) =>
      (t >= x.spanStart && t <= x.spanEnd) || (x.kind !== 'dip' && Math.abs(t - x.timestamp) < this.minSceneLen);
    return claims(a, b.timestamp) || claims(b, a.timestamp);
  }
}

/** The frame in HSV, its block averages in RGB, and its mean luma (BT.601). */
function features(frame: SceneDetectorFrame): Features {
  const { width, height, data } = frame;
  if (!Number.isInteger(frame.index) || !Number.isFinite(frame.timestamp)) {
    throw new RangeError(`frame ${frame.index}: needs an integer index and a finite timestamp, got ${frame.timestamp}`);
  }
  if (!(width > 0 && height > 0) || data.length !== width * height * 3) {
    throw new RangeError(`frame ${frame.index}: expected ${width}x${height} RGB24 (${width * height * 3} bytes), got ${data.length}`);
  }
  const grid = blockGrid(width, height);
  const pixels = width * height;
  const hsv = new Uint8Array(pixels * 3);
  const sums = new Float64Array(grid.cells * 3);
  let luma = 0;
  // The hot loop of scene detection (every decoded frame): the block lookups are precomputed.
  for (let y = 0, p = 0; y < height; y++) {
    const rowBase = grid.rowOf[y]!;
    for (let x = 0; x < width; x++, p += 3) {
      const r = data[p]!;
      const g = data[p + 1]!;
      const b = data[p + 2]!;
      toHsv(r, g, b, hsv, p);
      luma += 0.299 * r + 0.587 * g + 0.114 * b;
      const c = rowBase + grid.colOf[x]!;
      sums[c] = sums[c]! + r;
      sums[c + 1] = sums[c + 1]! + g;
      sums[c + 2] = sums[c + 2]! + b;
    }
  }
  const blocks = new Uint8Array(grid.cells * 3);
  for (let c = 0; c < grid.cells; c++) {
    const area = grid.area[c]!;
    for (let k = 0; k < 3; k++) blocks[c * 3 + k] = Math.round(sums[c * 3 + k]! / area);
  }
  return { index: frame.index, timestamp: frame.timestamp, hsv, blocks, luma: luma / pixels };
}

type BlockGrid = { cells: number; rowOf: Int32Array; colOf: Int32Array; area: Float64Array };
let gridCache: { width: number; height: number; grid: BlockGrid } | null = null;

/** Which block average each pixel feeds: about BLOCKS square cells; edge cells absorb the pixels
 *  left over when the size is not a multiple of the cell. Cached: every frame of a video has one size. */
function blockGrid(width: number, height: number): BlockGrid {
  if (gridCache?.width === width && gridCache.height === height) return gridCache.grid;
  const cell = Math.max(1, Math.floor(Math.sqrt((width * height) / BLOCKS)));
  const cols = Math.max(1, Math.floor(width / cell));
  const rows = Math.max(1, Math.floor(height / cell));
  const rowOf = Int32Array.from({ length: height }, (_, y) => Math.min(rows - 1, Math.floor(y / cell)) * cols * 3);
  const colOf = Int32Array.from({ length: width }, (_, x) => Math.min(cols - 1, Math.floor(x / cell)) * 3);
  const area = Float64Array.from({ length: cols * rows }, (_, c) => {
    const cx = c % cols;
    const cy = Math.floor(c / cols);
    return (cx === cols - 1 ? width - cx * cell : cell) * (cy === rows - 1 ? height - cy * cell : cell);
  });
  const grid = { cells: cols * rows, rowOf, colOf, area };
  gridCache = { width, height, grid };
  return grid;
}

// Division tables for the colour conversion, built once (~330 KB): every frame converts every pixel,
// and two divisions with rounding per pixel were most of the detector's time. Exact, not approximate:
// HUE_HALF[(x + 255) * 256 + d] = round(60·x / d / 2) and SATURATION[max * 256 + d] = round(255·d / max).
const HUE_HALF = new Int16Array(511 * 256);
const SATURATION = new Uint8Array(256 * 256);
for (let d = 1; d < 256; d++) {
  for (let x = -255; x <= 255; x++) HUE_HALF[(x + 255) * 256 + d] = Math.round((60 * x) / d / 2);
  for (let max = d; max < 256; max++) SATURATION[max * 256 + d] = Math.round((255 * d) / max);
}

/** OpenCV's COLOR_RGB2HSV for 8-bit images, so scores compare with PySceneDetect's. */
export function toHsv(r: number, g: number, b: number, out: Uint8Array, at: number): void {
  const max = r > g ? (r > b ? r : b) : g > b ? g : b;
  const min = r < g ? (r < b ? r : b) : g < b ? g : b;
  const d = max - min;
  let h = 0;
  if (d > 0) {
    // round((base + f) / 2) = base / 2 + round(f / 2) for the even bases 0, 120 and 240 degrees.
    if (max === r) {
      h = HUE_HALF[(g - b + 255) * 256 + d]!;
      if (g < b) h += 180;
    } else if (max === g) h = 60 + HUE_HALF[(b - r + 255) * 256 + d]!;
    else h = 120 + HUE_HALF[(r - g + 255) * 256 + d]!;
  }
  out[at] = h % 180;
  out[at + 1] = SATURATION[max * 256 + d]!;
  out[at + 2] = max;
}

function hsvOf(rgb: Uint8Array): Uint8Array {
  const hsv = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) toHsv(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!, hsv, i);
  return hsv;
}

/** On HSV pictures this is PySceneDetect's content_val with weights (1, 1, 1, 0): the mean of the
 *  mean absolute H, S and V differences, which for interleaved planes is that of all bytes. */
function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}
