// Camera planner: per scene, whom the virtual camera frames (the active speaker, held through short
// interjections) and how its crop window moves (still inside a dead zone, bounded pans, hard cuts).
// Fed the scenes, face tracks, active-speaker scores, diarization and pins; returns the ReframePath and the
// multi-face stretches where the choice of subject was unsure (an LLM is asked there; its answer returns as pins).
import type { ActiveSpeakerResult } from './active-speaker';
import type { FaceTrackingResult } from './face-tracking-result';
import type { Box } from './letterbox';
import {
  cropSize,
  outputSize,
  parseAspectRatio,
  type Pane,
  type PathScene,
  type ReframePath,
  type SingleKeyframe,
  type SplitKeyframe,
} from './reframe-path';

export interface CameraPlanInput {
  /** duration: seconds (end of the last frame). */
  source: { width: number; height: number; duration: number };
  /** scene_detection's scenes; missing or empty → one scene. */
  scenes?: { start: number; end: number }[];
  /** Face tracks, bboxes [x, y, w, h] in source pixels at the sampled times. */
  faces: FaceTrackingResult;
  /** Per face_id, a per-frame score and speaking flag. */
  speakers?: ActiveSpeakerResult;
  diarization?: { segments: { start: number; end: number; speaker: string; face_id?: number }[] };
  /** A subject chosen by an LLM or an editor: wins over the heuristic. */
  pins?: { start: number; end: number; face_id: number }[];
}

export interface CameraPlanOptions {
  /** `9:16`, `1:1`, `4:5`, `16:9` or any `W:H`. Default '9:16'. */
  aspectRatio?: string;
  /** `auto` splits a scene whose two faces talk in quick exchange. Default 'single'. */
  layout?: 'single' | 'split' | 'auto';
  /** Default 1920. */
  outputHeight?: number;
  /** Without it the output never has more pixels than the crop has in the source. Default false. */
  allowUpscale?: boolean;
  /** Span of the source to plan, seconds. Default the whole file. */
  start?: number;
  end?: number;
  /** Seconds a new face must speak, nearly without a break, before the camera turns to it: shorter
   *  interjections ("yeah", a laugh) keep the current subject. Default 1. */
  minSwitchSpeech?: number;
  /** Seconds a shot lasts at least, unless a scene cut ends it: quicker cuts feel nervous. Default 1.5. */
  minShot?: number;
  /** Seconds of silence a candidate's speech may contain and still count as sustained (the gaps
   *  between words, which the active-speaker gate mostly bridges already). Default 0.3. */
  speechGap?: number;
  /** Score (0..1) from which a face counts as speaking. Default 0.5. */
  speakingScore?: number;
  /** Score margin between the two most likely speakers under which the choice is reported as unsure. Default 0.2. */
  lowMargin?: number;
  /** Unsure stretches shorter than this (seconds) are not reported: they cannot change a shot. Default 1. */
  minUncertain?: number;
  /** Seconds a subject may stay undetected before the camera gives it up for another face. Default 1. */
  subjectTimeout?: number;
  /** Half-width of the dead zone, as a fraction of the crop's extent along the axis: the camera holds
   *  still while the framing target stays this close to it. Talking heads sway by 3–8 % of a 9:16 crop
   *  width; 12 % keeps them perfectly still and still leaves the face inside. Default 0.12. */
  deadZone?: number;
  /** A moving camera settles once this close to its target (fraction of the crop extent). Default 0.02. */
  settle?: number;
  /** Greatest pan speed, crop extents per second: half a crop per second reads as a deliberate move. Default 0.5. */
  maxVelocity?: number;
  /** Greatest change of pan speed, crop extents per second²: a pan takes ~0.5 s to reach full speed. Default 1. */
  maxAcceleration?: number;
  /** A subject change that moves the window further than this (fraction of the crop width) is a hard
   *  cut; closer, the camera pans. Default 0.25. */
  cutDistance?: number;
  /** Space kept above the face, as a fraction of its height, when the crop is shorter than the frame. Default 0.3. */
  headroom?: number;
  /** Seconds of the running median over the face box: detector jitter is not subject motion. Default 0.4. */
  smoothing?: number;
  /** Keyframes are dropped where linear interpolation stays within this many pixels of the planned path: two keep a pan to a keyframe every 0.1–0.5 s. Default 2. */
  tolerance?: number;
  /** `auto` splits when the two speakers' turns last on average at most this many seconds. Default 4. */
  quickExchange?: number;
}

export interface UncertainSegment {
  start: number;
  end: number;
  candidates: number[];
  reason: 'low_margin' | 'overlap' | 'no_speaker';
}

type Options = Required<Omit<CameraPlanOptions, 'start' | 'end'>>;

const DEFAULTS: Options = {
  aspectRatio: '9:16',
  layout: 'single',
  outputHeight: 1920,
  allowUpscale: false,
  minSwitchSpeech: 1,
  minShot: 1.5,
  speechGap: 0.3,
  speakingScore: 0.5,
  lowMargin: 0.2,
  minUncertain: 1,
  subjectTimeout: 1,
  deadZone: 0.12,
  settle: 0.02,
  maxVelocity: 0.5,
  maxAcceleration: 1,
  cutDistance: 0.25,
  headroom: 0.3,
  smoothing: 0.4,
  tolerance: 2,
  quickExchange: 4,
};

/** The planning grid: the active-speaker rate, fine enough that a cut lands within a frame or so. */
const STEP = 1 / 25;
/** A detection stands for its neighbourhood up to this far (s) when the track has no sample on the other side. */
const SAMPLE_REACH = 0.15;
/** Detections further apart than this are not interpolated across (the tracker bridges gaps up to 1 s). */
const MAX_DETECTION_GAP = 1;
/** Share of a scene's speech each of two faces must hold for `auto` to split it. */
const MIN_SPLIT_SHARE = 0.2;
/** The framed face sits this far down the crop (centre of the face box) when the crop is shorter than the frame. */
const FACE_LEVEL = 0.4;

type Size = { w: number; h: number };
type Source = CameraPlanInput['source'];

/** One grid time of a scene: the faces in view (box) and how likely each is speaking. */
type Cell = { t: number; boxes: Map<number, Box>; evidence: Map<number, number>; pinned: number | null };

export function planCamera(input: CameraPlanInput, options: CameraPlanOptions = {}): { path: ReframePath; uncertain: UncertainSegment[] } {
  const o: Options = { ...DEFAULTS, ...stripUndefined(options) };
  const aspect = parseAspectRatio(o.aspectRatio);
  if (!aspect) throw new RangeError(`planCamera: bad aspect ratio ${JSON.stringify(o.aspectRatio)}`);
  const source = input.source;
  const start = clamp(options.start ?? 0, 0, source.duration);
  const end = clamp(options.end ?? source.duration, start, source.duration);
  const crop = cropSize(source, aspect);
  const output = outputSize(crop, aspect, o.outputHeight, o.allowUpscale);
  const pane = paneSize(source, output, o.allowUpscale);

  const scenes: PathScene[] = [];
  const uncertain: UncertainSegment[] = [];
  for (const span of sceneSpans(input.scenes, start, end)) {
    const cells = buildCells(input, span);
    const faces = facesIn(cells);
    const layout =
      o.layout === 'single' || faces.length < 2 ? 'single' : o.layout === 'split' || quickExchange(cells, o) ? 'split' : 'single';
    if (layout === 'split') {
      const pair = splitSubjects(cells, faces, o);
      const paths = pair.map((id) => followSubject(cells, new Array<number>(cells.length).fill(id), pane, source, o));
      scenes.push({ ...span, layout, keyframes: splitKeyframes(cells, span, paths, pair, pane, o) });
    } else {
      const subjects = chooseSubjects(cells, source, o);
      const path = followSubject(cells, subjects, crop, source, o);
      scenes.push({ ...span, layout, keyframes: singleKeyframes(cells, span, path, subjects, crop, o) });
    }
    uncertain.push(...findUncertain(cells, o));
  }
  return {
    path: { version: 1, source: { width: source.width, height: source.height }, output, aspect_ratio: o.aspectRatio, start, end, scenes },
    uncertain,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits = 1e4) => Math.round(v * digits) / digits;

/** A pane frames one person: the aspect of its share of the output, at most half the source wide so
 *  the two panes show two people, and never smaller than its output share unless upscaling is allowed. */
function paneSize(source: Source, output: { width: number; height: number }, allowUpscale: boolean): Size {
  const aspect = { w: output.width, h: output.height / 2 };
  const half = cropSize({ width: Math.max(2, source.width / 2), height: source.height }, aspect);
  if (allowUpscale || half.h >= aspect.h) return half;
  return cropSize({ width: Math.min(source.width, Math.max(source.width / 2, output.width)), height: source.height }, aspect);
}

/** The detected scenes cut [start, end) into consecutive spans; a span is one scene's share of it. */
function sceneSpans(scenes: CameraPlanInput['scenes'], start: number, end: number): { start: number; end: number }[] {
  // Only the boundaries between scenes count: the first scene may start after 0 (the first frame's time).
  const starts = [...(scenes ?? [])].sort((a, b) => a.start - b.start).slice(1);
  const cuts = [...new Set(starts.map((s) => s.start).filter((t) => t > start && t < end))].sort((a, b) => a - b);
  const bounds = [start, ...cuts, end];
  const spans = bounds.slice(0, -1).map((s, i) => ({ start: s, end: bounds[i + 1]! }));
  return spans.length ? spans : [{ start, end }];
}

/** Interpolated face boxes and speaking evidence on the grid of one scene. The evidence (0..1) is the
 *  active-speaker score, averaged with diarization where a segment linked to a face covers the cell (1
 *  for that face, 0 for the others): either source alone when only one is there. Detections outside
 *  the scene are ignored so that a face of the previous shot never leaks across the cut. */
function buildCells(input: CameraPlanInput, span: { start: number; end: number }): Cell[] {
  const n = Math.max(1, Math.ceil((span.end - span.start) / STEP - 1e-6));
  const times = Array.from({ length: n }, (_, k) => span.start + k * STEP);
  const cells: Cell[] = times.map((t) => ({ t, boxes: new Map(), evidence: new Map(), pinned: null }));
  const diarized: (number | null)[] = new Array(n).fill(null);
  for (const s of input.diarization?.segments ?? []) {
    if (s.face_id === undefined) continue;
    for (let k = Math.max(0, Math.ceil((s.start - span.start) / STEP - 1e-6)); k < n && cells[k]!.t < s.end; k++) diarized[k] = s.face_id;
  }
  for (const track of input.faces.tracks) {
    const detections = track.detections.filter((d) => d.timestamp >= span.start - 1e-6 && d.timestamp < span.end);
    if (!detections.length) continue;
    const scores = input.speakers?.tracks.find((s) => s.face_id === track.face_id)?.scores ?? [];
    cells.forEach((cell, k) => {
      const box = boxAt(detections, cell.t);
      if (!box) return;
      cell.boxes.set(track.face_id, box);
      const score = input.speakers ? scoreAt(scores, cell.t) : null;
      const linked = diarized[k] === null ? null : diarized[k] === track.face_id ? 1 : 0;
      cell.evidence.set(track.face_id, score === null ? (linked ?? 0) : linked === null ? score : (score + linked) / 2);
    });
  }
  // A pin on a face this scene never shows cannot be framed: the heuristic keeps the stretch.
  const shown = new Set(cells.flatMap((c) => [...c.boxes.keys()]));
  for (const pin of input.pins ?? []) {
    if (shown.has(pin.face_id)) for (const cell of cells) if (cell.t >= pin.start && cell.t < pin.end) cell.pinned = pin.face_id;
  }
  return cells;
}

/** Index of the last element whose time is ≤ t (−1 when none is). */
function lastAtOrBefore<T>(items: readonly T[], t: number, time: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(items[mid]!) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function boxAt(detections: FaceTrackingResult['tracks'][number]['detections'], t: number): Box | null {
  const i = lastAtOrBefore(detections, t, (d) => d.timestamp);
  const a = detections[i];
  const b = detections[i + 1];
  if (a && b && b.timestamp - a.timestamp <= MAX_DETECTION_GAP) {
    const f = (t - a.timestamp) / (b.timestamp - a.timestamp);
    return a.bbox.map((v, j) => v + (b.bbox[j]! - v) * f) as Box;
  }
  const near = [a, b].find((d) => d && Math.abs(d.timestamp - t) <= SAMPLE_REACH);
  return near ? ([...near.bbox] as Box) : null;
}

/** The active-speaker score nearest t (0 when the track has none near: it was not scored there). */
function scoreAt(scores: readonly { timestamp: number; score: number }[], t: number): number {
  const i = lastAtOrBefore(scores, t, (s) => s.timestamp);
  const near = [scores[i], scores[i + 1]]
    .filter((s) => s && Math.abs(s.timestamp - t) <= SAMPLE_REACH)
    .sort((p, q) => Math.abs(p!.timestamp - t) - Math.abs(q!.timestamp - t))[0];
  return near ? near.score : 0;
}

/** Face ids seen in the scene, in order of first appearance. */
function facesIn(cells: Cell[]): number[] {
  const ids = new Set<number>();
  for (const c of cells) for (const id of c.boxes.keys()) ids.add(id);
  return [...ids];
}

/** The face most likely speaking in a cell, if it reaches the speaking score. */
function topSpeaker(cell: Cell, o: Options): number | null {
  let best: number | null = null;
  let bestScore = o.speakingScore;
  for (const [id, e] of cell.evidence) {
    if (e >= bestScore) {
      best = id;
      bestScore = e;
    }
  }
  return best;
}

/** Larger and nearer the centre is the better shot when nobody speaks. */
function prominence(box: Box, source: Source): number {
  const offCentre = Math.abs(box[0] + box[2] / 2 - source.width / 2) / (source.width / 2);
  return box[2] * box[3] * (1 - 0.5 * Math.min(1, offCentre));
}

function mostProminent(cells: readonly Cell[], source: Source): number | null {
  const total = new Map<number, number>();
  for (const c of cells) for (const [id, box] of c.boxes) total.set(id, (total.get(id) ?? 0) + prominence(box, source));
  let best: number | null = null;
  for (const [id, v] of total) if (best === null || v > total.get(best)!) best = id;
  return best;
}

/** The subject of every cell. A switch needs a face speaking for minSwitchSpeech (short interjections
 *  and overlaps keep the shot) and a shot at least minShot long; the cut is then placed back where that
 *  face started speaking, as an editor would, since the plan is made after the fact. Pins win. A subject
 *  lost for subjectTimeout gives way at once. Before the first speaker, the scene opens on that
 *  speaker; a scene where no one speaks frames its most prominent face; one without faces, nobody. */
function chooseSubjects(cells: Cell[], source: Source, o: Options): (number | null)[] {
  const n = cells.length;
  const subjects: (number | null)[] = new Array(n).fill(null);
  const gap = Math.round(o.speechGap / STEP);
  const minShot = Math.round(o.minShot / STEP);
  const minSpeech = Math.round(o.minSwitchSpeech / STEP);
  const timeout = Math.round(o.subjectTimeout / STEP);
  const lastSeen = new Map<number, number>();
  let current: number | null = null;
  let shotStart = 0;
  let locked = 0;
  let candidate: number | null = null;
  let candidateStart = 0;
  let candidateLast = 0;
  for (let k = 0; k < n; k++) {
    const cell = cells[k]!;
    for (const id of cell.boxes.keys()) lastSeen.set(id, k);
    if (cell.pinned !== null) {
      if (current !== cell.pinned) shotStart = k;
      current = cell.pinned;
      subjects[k] = current;
      locked = k + 1;
      candidate = null;
      continue;
    }
    const top = topSpeaker(cell, o);
    if (current !== null && k - (lastSeen.get(current) ?? -Infinity) > timeout) {
      const next = top ?? mostProminent([cell], source);
      if (next !== null) {
        current = next;
        shotStart = k;
        candidate = null;
      }
    }
    if (top !== null && top !== current) {
      if (top === candidate && k - candidateLast <= gap + 1) candidateLast = k;
      else [candidate, candidateStart, candidateLast] = [top, k, k];
    } else if (top !== null || (candidate !== null && k - candidateLast > gap)) {
      candidate = null;
    }
    if (candidate !== null && candidateLast - candidateStart + 1 >= minSpeech) {
      const from = current === null ? locked : Math.max(candidateStart, shotStart + minShot, locked);
      if (from <= k) {
        subjects.fill(candidate, from, k);
        current = candidate;
        shotStart = from;
        candidate = null;
      }
    }
    subjects[k] = current;
  }
  const first = subjects.findIndex((s) => s !== null);
  if (first < 0) return subjects.fill(mostProminent(cells, source));
  return subjects.fill(subjects[first]!, 0, first);
}

/** `auto`: two faces share the speech (each at least MIN_SPLIT_SHARE) in turns averaging at most quickExchange s. */
function quickExchange(cells: Cell[], o: Options): boolean {
  const tops = cells.map((c) => topSpeaker(c, o));
  const counts = new Map<number, number>();
  for (const t of tops) if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
  const spoken = [...counts.values()].reduce((a, b) => a + b, 0);
  const sharing = [...counts.values()].filter((c) => c >= MIN_SPLIT_SHARE * spoken);
  if (spoken === 0 || sharing.length < 2) return false;
  // Turns: runs of one speaker, ignoring silence and flickers shorter than a few frames.
  const turns: number[] = [];
  let speaker: number | null = null;
  for (const t of tops) {
    if (t === null) continue;
    if (t !== speaker) {
      turns.push(0);
      speaker = t;
    }
    turns[turns.length - 1]! += STEP;
  }
  const real = turns.filter((d) => d >= 0.3);
  return real.length >= 3 && real.reduce((a, b) => a + b, 0) / real.length <= o.quickExchange;
}

/** The two faces a split scene shows: the two who speak most (then the most prominent), left-most on top. */
function splitSubjects(cells: Cell[], faces: number[], o: Options): number[] {
  const speech = new Map(faces.map((id) => [id, 0]));
  const presence = new Map(faces.map((id) => [id, 0]));
  for (const c of cells) {
    const top = topSpeaker(c, o);
    if (top !== null) speech.set(top, speech.get(top)! + 1);
    for (const [id, box] of c.boxes) presence.set(id, presence.get(id)! + box[2] * box[3]);
  }
  const pair = [...faces].sort((a, b) => speech.get(b)! - speech.get(a)! || presence.get(b)! - presence.get(a)!).slice(0, 2);
  const centreX = (id: number) => {
    const xs = cells.flatMap((c) => {
      const b = c.boxes.get(id);
      return b ? [b[0] + b[2] / 2] : [];
    });
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  return pair.sort((a, b) => centreX(a) - centreX(b));
}

/** A window position per cell and where it cuts. */
type DensePath = { x: number[]; y: number[]; cut: boolean[] };

/** Where the window wants to be for a face box: the face centred across, and down the frame with the
 *  face at FACE_LEVEL of the crop but never less than `headroom` face heights below its top edge. */
function targetFor(box: Box, size: Size, source: Source, o: Options): { x: number; y: number } {
  const [bx, by, bw, bh] = box;
  const x = clamp(bx + bw / 2 - size.w / 2, 0, source.width - size.w);
  let y = by + bh / 2 - FACE_LEVEL * size.h;
  y = Math.min(y, by - o.headroom * bh);
  return { x, y: clamp(y, 0, source.height - size.h) };
}

/** The camera's path over one scene for a subject per cell, one shot (a run of one subject) at a time. */
function followSubject(cells: Cell[], subjects: (number | null)[], size: Size, source: Source, o: Options): DensePath {
  const n = cells.length;
  const path: DensePath = { x: new Array(n), y: new Array(n), cut: new Array(n).fill(false) };
  const half = Math.max(0, Math.round(o.smoothing / STEP / 2));
  const centre = { x: (source.width - size.w) / 2, y: (source.height - size.h) / 2 };
  const axes = [
    { key: 'x' as const, extent: size.w, room: source.width - size.w, lo: 0, len: 2 },
    { key: 'y' as const, extent: size.h, room: source.height - size.h, lo: 1, len: 3 },
  ];
  const state = { x: { p: centre.x, v: 0, moving: false }, y: { p: centre.y, v: 0, moving: false } };
  let a = 0;
  while (a < n) {
    let b = a + 1;
    while (b < n && subjects[b] === subjects[a]) b++;
    const boxes = smoothBoxes(
      cells.slice(a, b).map((c) => (subjects[a] === null ? null : (c.boxes.get(subjects[a]!) ?? null))),
      half,
    );
    let targets = boxes.map((box) => (box ? targetFor(box, size, source, o) : centre));
    // A shot whose target never leaves the dead zone around its median is held still for its whole
    // length, centred across on the span the face covers (a face nearly as wide as the crop fits best
    // so), and the face box's own jitter is then no reason to move.
    const still = axes.every(({ key, extent }) => {
      const m = median(targets.map((t) => t[key]));
      return targets.every((t) => Math.abs(t[key] - m) <= o.deadZone * extent);
    });
    if (still) {
      const seen = boxes.filter((box): box is Box => box !== null);
      const across = seen.length
        ? clamp(
            (quantile(
              seen.map((b) => b[0]),
              0.02,
            ) +
              quantile(
                seen.map((b) => b[0] + b[2]),
                0.98,
              )) /
              2 -
              size.w / 2,
            0,
            source.width - size.w,
          )
        : centre.x;
      const hold = { x: across, y: median(targets.map((t) => t.y)) };
      targets = targets.map(() => hold);
    }
    const opening = targets.slice(0, Math.max(1, Math.round(1 / STEP)));
    const startAt = { x: median(opening.map((t) => t.x)), y: median(opening.map((t) => t.y)) };
    const far = Math.hypot(startAt.x - state.x.p, startAt.y - state.y.p) > o.cutDistance * size.w;
    if (a === 0 || far) {
      path.cut[a] = a > 0;
      for (const { key } of axes) state[key] = { p: startAt[key], v: 0, moving: false };
    }
    for (let k = a; k < b; k++) {
      const box = still ? null : (boxes[k - a] ?? null);
      for (const { key, extent, room, lo, len } of axes) {
        const s = state[key];
        const target = targets[k - a]![key];
        const d = target - s.p;
        const [from, length] = box ? [box[lo]!, box[len]!] : [0, 0];
        const faceOut = box !== null && length <= extent && (from < s.p || from + length > s.p + extent);
        if (!s.moving && (Math.abs(d) > o.deadZone * extent || faceOut)) s.moving = true;
        if (s.moving) {
          const vmax = o.maxVelocity * extent;
          const amax = o.maxAcceleration * extent;
          // The speed from which the camera can still stop on the target at full deceleration.
          const want = Math.sign(d) * Math.min(vmax, Math.sqrt(2 * amax * Math.abs(d)));
          s.v += clamp(want - s.v, -amax * STEP, amax * STEP);
          s.p += s.v * STEP;
          if (Math.abs(target - s.p) <= o.settle * extent && Math.abs(s.v) <= amax * STEP) {
            s.moving = false;
            s.v = 0;
          }
        }
        if (s.p < 0 || s.p > room) {
          s.p = clamp(s.p, 0, room);
          s.v = 0;
        }
        path[key][k] = s.p;
      }
    }
    a = b;
  }
  return path;
}

/** Running median of the boxes (missing ones held from the nearest detection); null when never seen. */
function smoothBoxes(boxes: (Box | null)[], half: number): (Box | null)[] {
  const seen = boxes.map((b, i) => (b ? i : -1)).filter((i) => i >= 0);
  if (!seen.length) return boxes.map(() => null);
  let j = 0;
  const filled = boxes.map((b, i) => {
    if (b) return b;
    while (j + 1 < seen.length && seen[j + 1]! <= i) j++;
    const before = seen[j]! <= i ? seen[j]! : null;
    const after = before === null ? seen[0]! : (seen[j + 1] ?? null);
    const nearest = before === null ? after! : after === null || i - before <= after - i ? before : after;
    return boxes[nearest]!;
  });
  return filled.map((_, i) => {
    const window = filled.slice(Math.max(0, i - half), i + half + 1);
    return [0, 1, 2, 3].map((c) => median(window.map((w) => w[c]!))) as Box;
  });
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))] ?? 0;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Indices kept so that linear interpolation between them stays within `tolerance` of every channel
 *  (Ramer–Douglas–Peucker over time); `forced` indices are always kept. */
function simplify(times: number[], channels: number[][], forced: Set<number>, tolerance: number): number[] {
  const n = times.length;
  const keep = new Set<number>([0, n - 1, ...forced]);
  const anchors = [...keep].sort((a, b) => a - b);
  const stack: [number, number][] = anchors.slice(1).map((b, i) => [anchors[i]!, b]);
  while (stack.length) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstError = tolerance;
    for (let i = a + 1; i < b; i++) {
      const f = (times[i]! - times[a]!) / (times[b]! - times[a]!);
      for (const c of channels) {
        const error = Math.abs(c[a]! + (c[b]! - c[a]!) * f - c[i]!);
        if (error > worstError) [worst, worstError] = [i, error];
      }
    }
    if (worst > 0) {
      keep.add(worst);
      stack.push([a, worst], [worst, b]);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

/** Breaks the dense path into pieces at its cuts and keeps the keyframes each piece needs. A piece that
 *  ends at a cut repeats its last window at the cut time, so the renderer's interpolation sees two
 *  keyframes there and cuts instead of panning. Keyframe times stay inside the scene. */
function keyframeIndices(cells: Cell[], span: { start: number }, path: DensePath[], changes: Set<number>, o: Options) {
  const n = cells.length;
  const times = cells.map((c) => c.t);
  const channels = path.flatMap((p) => [p.x, p.y]);
  const cuts = [...new Set(path.flatMap((p) => p.cut.flatMap((c, i) => (c ? [i] : []))))].sort((a, b) => a - b);
  // `index` is the window kept, `at` its time (a piece's closing point borrows the next cut's time).
  const frames: { index: number; at: number }[] = [];
  const bounds = [0, ...cuts, n];
  for (let piece = 0; piece + 1 < bounds.length; piece++) {
    const from = bounds[piece]!;
    const to = bounds[piece + 1]!;
    // The last piece needs no closing point: its last keyframe is held to the scene's end.
    const closing = to < n ? 1 : 0;
    const local = times.slice(from, to + closing);
    const localChannels = channels.map((c) => (closing ? [...c.slice(from, to), c[to - 1]!] : c.slice(from, to)));
    const forced = new Set([...changes].filter((i) => i > from && i < to).map((i) => i - from));
    for (const i of simplify(local, localChannels, forced, o.tolerance)) {
      frames.push({ index: Math.min(from + i, to - 1), at: Math.max(span.start, round(times[from + i]!, 1e6)) });
    }
  }
  return { frames };
}

function singleKeyframes(
  cells: Cell[],
  span: { start: number },
  path: DensePath,
  subjects: (number | null)[],
  size: Size,
  o: Options,
): SingleKeyframe[] {
  const changes = new Set(subjects.flatMap((s, i) => (i > 0 && s !== subjects[i - 1] ? [i] : [])));
  const { frames } = keyframeIndices(cells, span, [path], changes, o);
  const keyframes = frames.map(({ index, at }): SingleKeyframe => {
    return {
      t: at,
      x: Math.round(path.x[index]!),
      y: Math.round(path.y[index]!),
      w: size.w,
      h: size.h,
      subject: subjects[index] ?? null,
    };
  });
  return dropRedundant(keyframes, (a, b) => a.x === b.x && a.y === b.y && a.subject === b.subject);
}

function splitKeyframes(
  cells: Cell[],
  span: { start: number },
  paths: DensePath[],
  pair: number[],
  size: Size,
  o: Options,
): SplitKeyframe[] {
  const { frames } = keyframeIndices(cells, span, paths, new Set(), o);
  const keyframes = frames.map(({ index, at }): SplitKeyframe => {
    const panes = paths.map((p, j): Pane => ({
      x: Math.round(p.x[index]!),
      y: Math.round(p.y[index]!),
      w: size.w,
      h: size.h,
      subject: pair[j]!,
    }));
    return { t: at, panes };
  });
  return dropRedundant(keyframes, (a, b) => a.panes.every((p, j) => p.x === b.panes[j]!.x && p.y === b.panes[j]!.y));
}

/** Rounding can leave keyframes that repeat their neighbours: one that repeats both neighbours (or the
 *  previous one, at the end) changes nothing and goes; a repeated time is kept (it is a cut). */
function dropRedundant<K extends { t: number }>(keyframes: K[], same: (a: K, b: K) => boolean): K[] {
  const out: K[] = [];
  keyframes.forEach((k, i) => {
    const prev = out.at(-1);
    const next = keyframes[i + 1];
    if (prev && same(prev, k) && (!next || (same(k, next) && next.t !== k.t))) return;
    out.push(k);
  });
  return out;
}

/** Multi-face stretches where the subject is not clear: two faces speaking, two nearly as likely, or
 *  nobody speaking. Pinned cells are decided already. */
function findUncertain(cells: Cell[], o: Options): UncertainSegment[] {
  const marks = cells.map((cell): Omit<UncertainSegment, 'start' | 'end'> | null => {
    if (cell.pinned !== null || cell.boxes.size < 2) return null;
    const ranked = [...cell.evidence].sort((a, b) => b[1] - a[1]);
    const speaking = ranked.filter(([, e]) => e >= o.speakingScore).map(([id]) => id);
    if (speaking.length >= 2) return { candidates: speaking.sort((a, b) => a - b), reason: 'overlap' };
    const [first, second] = ranked;
    if (first![1] < o.speakingScore) return { candidates: ranked.map(([id]) => id).sort((a, b) => a - b), reason: 'no_speaker' };
    if (first![1] - second![1] < o.lowMargin) return { candidates: [first![0], second![0]].sort((a, b) => a - b), reason: 'low_margin' };
    return null;
  });
  const gap = Math.round(o.speechGap / STEP);
  const segments: (UncertainSegment & { last: number })[] = [];
  marks.forEach((m, k) => {
    if (!m) return;
    const open = segments.at(-1);
    if (open && open.reason === m.reason && open.candidates.join() === m.candidates.join() && k - open.last <= gap + 1) {
      open.last = k;
      open.end = cells[k]!.t + STEP;
    } else {
      segments.push({ ...m, start: cells[k]!.t, end: cells[k]!.t + STEP, last: k });
    }
  });
  return segments
    .filter((s) => s.end - s.start >= o.minUncertain - 1e-9)
    .map(({ start, end, candidates, reason }) => ({ start: round(start), end: round(end), candidates, reason }));
}
