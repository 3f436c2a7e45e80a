// ByteTrack-style multi-face tracker: a constant-velocity Kalman filter per face, two-stage optimal
// association (confident detections first, then weak ones), gap bridging, and cuts that end all tracks.
// Fed the face detections of each sampled frame in source pixels; `finish()` returns the face tracks.
import { iou, type Box, type Point } from './letterbox';

export type FaceTrackerDetection = { box: Box; score: number; landmarks?: Point[] };

export type FaceTrackerFrame = { frameNumber: number; timestamp: number; detections: readonly FaceTrackerDetection[] };

export type FaceTrackDetection = {
  timestamp: number;
  frame_number: number;
  /** The detector's box, not the filtered one: smoothing the camera path is the planner's job. */
  bbox: Box;
  score: number;
  landmarks: Point[] | null;
};

export type FaceTrack = { face_id: number; first_seen: number; last_seen: number; detections: FaceTrackDetection[] };

export type FaceTrackerOptions = {
  /** Detections at or above this score match any track and may start new ones. Default 0.6. */
  highThreshold?: number;
  /** Detections from here up to highThreshold only extend tracks left unmatched by the first stage
   *  (ByteTrack's insight: a weak detection next to a track is usually a blurred or turning face). Default 0.3. */
  lowThreshold?: number;
  /** Least IoU between a track's predicted box and a detection. Default 0.3. */
  matchIou?: number;
  /** Fallback for confident detections when motion outruns IoU: greatest distance between centres,
   *  in predicted face sizes. Default 1.5. */
  maxCenterDistance?: number;
  /** Consecutive matched samples that confirm a new track; an unconfirmed track that misses one sample
   *  is discarded, which removes most one-off false positives early. Default 2. */
  minHits?: number;
  /** Seconds a confirmed track may go unmatched before it ends. Shorter gaps are bridged: the track
   *  keeps its id and simply has no detections in between. Default 1.0. */
  maxGap?: number;
  /** Tracks spanning less time (last_seen − first_seen, seconds) are dropped at the end. Default 0.5. */
  minTrackDuration?: number;
  /** Tracks with fewer detections are dropped at the end. Default 3. */
  minDetections?: number;
};

// Kalman noise as fractions of the face size (ByteTrack scales by box height the same way, so a small
// far face and a close-up behave alike). ByteTrack's per-frame values, expressed per second.
const MEASUREMENT_STD = 0.05;
const POSITION_NOISE = 0.3; // size per √s
const VELOCITY_NOISE = 1.0; // size per s per √s
const INITIAL_POSITION_STD = 0.1;
const INITIAL_VELOCITY_STD = 1.0; // size per s: a new face is assumed roughly still
// A face does not halve or double in size between two samples; guards the centre-distance fallback.
const MAX_SIZE_RATIO = 2;
const MIN_SIDE = 1;
const EPSILON = 1e-9;

/** One coordinate with its velocity. The four coordinates (cx, cy, w, h) move independently with
 *  diagonal noise, so four 2-state filters equal the 8-state filter at a fraction of the code. */
class Axis {
  private pp: number;
  private pv = 0;
  private vv: number;
  velocity = 0;

  constructor(
    public value: number,
    size: number,
  ) {
    this.pp = (INITIAL_POSITION_STD * size) ** 2;
    this.vv = (INITIAL_VELOCITY_STD * size) ** 2;
  }

  predict(dt: number, size: number): void {
    this.value += this.velocity * dt;
    this.pp += dt * (2 * this.pv + dt * this.vv) + (POSITION_NOISE * size) ** 2 * dt;
    this.pv += dt * this.vv;
    this.vv += (VELOCITY_NOISE * size) ** 2 * dt;
  }

  update(measured: number, size: number): void {
    const s = this.pp + (MEASUREMENT_STD * size) ** 2;
    const kp = this.pp / s;
    const kv = this.pv / s;
    const residual = measured - this.value;
    this.value += kp * residual;
    this.velocity += kv * residual;
    this.vv -= kv * this.pv;
    this.pp *= 1 - kp;
    this.pv *= 1 - kp;
  }
}

class Track {
  private readonly axes: [Axis, Axis, Axis, Axis];
  private time: number;
  hits = 1;
  confirmed: boolean;
  lastMatched: number;
  readonly detections: FaceTrackDetection[] = [];

  constructor(
    readonly serial: number,
    frame: FaceTrackerFrame,
    detection: FaceTrackerDetection,
    minHits: number,
  ) {
    const [x, y, w, h] = detection.box;
    const size = faceSize(w, h);
    this.axes = [new Axis(x + w / 2, size), new Axis(y + h / 2, size), new Axis(w, size), new Axis(h, size)];
    this.time = frame.timestamp;
    this.lastMatched = frame.timestamp;
    this.confirmed = minHits <= 1;
    this.record(frame, detection);
  }

  get box(): Box {
    const [cx, cy, w, h] = this.axes.map((a) => a.value) as [number, number, number, number];
    const width = Math.max(MIN_SIDE, w);
    const height = Math.max(MIN_SIDE, h);
    return [cx - width / 2, cy - height / 2, width, height];
  }

  predict(timestamp: number): void {
    const dt = timestamp - this.time;
    if (dt <= 0) return;
    const size = this.size();
    for (const axis of this.axes) axis.predict(dt, size);
    this.time = timestamp;
  }

  update(frame: FaceTrackerFrame, detection: FaceTrackerDetection, minHits: number): void {
    const [x, y, w, h] = detection.box;
    const size = this.size();
    const measured = [x + w / 2, y + h / 2, w, h];
    this.axes.forEach((axis, i) => axis.update(measured[i]!, size));
    this.hits += 1;
    if (this.hits >= minHits) this.confirmed = true;
    this.lastMatched = frame.timestamp;
    this.record(frame, detection);
  }

  private size(): number {
    const [, , w, h] = this.box;
    return faceSize(w, h);
  }

  private record(frame: FaceTrackerFrame, d: FaceTrackerDetection): void {
    this.detections.push({
      timestamp: frame.timestamp,
      frame_number: frame.frameNumber,
      bbox: d.box.map(tenth) as Box,
      score: Math.round(d.score * 1000) / 1000,
      landmarks: d.landmarks ? d.landmarks.map((p) => p.map(tenth) as Point) : null,
    });
  }
}

export class FaceTracker {
  private readonly options: Required<FaceTrackerOptions>;
  private active: Track[] = [];
  private ended: Track[] = [];
  private serial = 0;
  private lastTimestamp = -Infinity;

  constructor(options: FaceTrackerOptions = {}) {
    this.options = {
      highThreshold: 0.6,
      lowThreshold: 0.3,
      matchIou: 0.3,
      maxCenterDistance: 1.5,
      minHits: 2,
      maxGap: 1.0,
      minTrackDuration: 0.5,
      minDetections: 3,
      ...options,
    };
  }

  /** Timestamps must increase; frames without faces still count (they age the tracks). */
  push(frame: FaceTrackerFrame): void {
    const o = this.options;
    if (frame.timestamp <= this.lastTimestamp) {
      throw new RangeError(`FaceTracker: frame at ${frame.timestamp} s does not follow one at ${this.lastTimestamp} s`);
    }
    this.lastTimestamp = frame.timestamp;

    this.active = this.active.filter((t) => {
      if (frame.timestamp - t.lastMatched <= o.maxGap + EPSILON) return true;
      this.ended.push(t);
      return false;
    });
    for (const t of this.active) t.predict(frame.timestamp);

    const high = frame.detections.filter((d) => d.score >= o.highThreshold);
    const low = frame.detections.filter((d) => d.score >= o.lowThreshold && d.score < o.highThreshold);

    const matched = new Set<Track>();
    const unmatchedHigh = this.associate(this.active, high, frame, true, matched);
    this.associate(
      this.active.filter((t) => !matched.has(t)),
      low,
      frame,
      false,
      matched,
    );
    this.active = this.active.filter((t) => t.confirmed || matched.has(t));
    for (const d of unmatchedHigh) this.active.push(new Track(++this.serial, frame, d, o.minHits));
  }

  /** At a scene cut every face leaves the picture: all tracks end, and faces after it get new ones. */
  cut(): void {
    for (const t of this.active) if (t.confirmed) this.ended.push(t);
    this.active = [];
  }

  /** Ends all tracks, drops the short ones and numbers the rest 1, 2, 3… by first appearance
   *  (ties left to right). The tracker is empty afterwards. */
  finish(): FaceTrack[] {
    this.cut();
    const tracks = this.snapshot();
    this.ended = [];
    this.lastTimestamp = -Infinity;
    return tracks;
  }

  /** What finish() would return were the video to end now, without ending anything: an analysis
   *  shown while it runs (the in-browser preview). A track's `detections` is the tracker's own array,
   *  the same object from snapshot to snapshot and in finish(), so callers can follow a track by it
   *  while its face_id may still change. */
  snapshot(): FaceTrack[] {
    const o = this.options;
    const kept = [...this.ended, ...this.active.filter((t) => t.confirmed)].filter((t) => {
      const first = t.detections[0]!;
      const last = t.detections[t.detections.length - 1]!;
      return t.detections.length >= o.minDetections && last.timestamp - first.timestamp >= o.minTrackDuration - EPSILON;
    });
    kept.sort((a, b) => {
      const fa = a.detections[0]!;
      const fb = b.detections[0]!;
      return fa.timestamp - fb.timestamp || fa.bbox[0] - fb.bbox[0] || a.serial - b.serial;
    });
    return kept.map((t, i) => ({
      face_id: i + 1,
      first_seen: t.detections[0]!.timestamp,
      last_seen: t.detections[t.detections.length - 1]!.timestamp,
      detections: t.detections,
    }));
  }

  /** Every track that may still be kept, confirmed or not, by its detections array (see snapshot()):
   *  work that must start before a track is confirmed (the face mesh follows a face from its first detection). */
  candidates(): readonly (readonly FaceTrackDetection[])[] {
    return [...this.ended, ...this.active].map((t) => t.detections);
  }

  /** Matches detections to tracks, updates the matched tracks (adding them to `matched`), and returns
   *  the unmatched detections. */
  private associate(
    tracks: readonly Track[],
    detections: readonly FaceTrackerDetection[],
    frame: FaceTrackerFrame,
    allowFallback: boolean,
    matched: Set<Track>,
  ): FaceTrackerDetection[] {
    const boxes = tracks.map((t) => t.box);
    const affinities = boxes.map((box) => detections.map((d) => this.affinity(box, d.box, allowFallback)));
    const used = new Set<number>();
    for (const [ti, di] of assignMaxAffinity(affinities)) {
      const track = tracks[ti]!;
      track.update(frame, detections[di]!, this.options.minHits);
      matched.add(track);
      used.add(di);
    }
    return detections.filter((_, i) => !used.has(i));
  }

  /** IoU when it clears `matchIou`; else, if allowed, a score from the centre distance kept under half
   *  of `matchIou`, so that wherever boxes overlap well, overlap decides. 0 means "may not match". */
  private affinity(predicted: Box, detected: Box, allowFallback: boolean): number {
    const { matchIou, maxCenterDistance } = this.options;
    const overlap = iou(predicted, detected);
    if (overlap >= matchIou) return overlap;
    if (!allowFallback) return 0;
    const size = faceSize(predicted[2], predicted[3]);
    const ratio = faceSize(detected[2], detected[3]) / size;
    if (ratio > MAX_SIZE_RATIO || ratio < 1 / MAX_SIZE_RATIO) return 0;
    const dx = detected[0] + detected[2] / 2 - (predicted[0] + predicted[2] / 2);
    const dy = detected[1] + detected[3] / 2 - (predicted[1] + predicted[3] / 2);
    const distance = Math.hypot(dx, dy) / size;
    return distance < maxCenterDistance ? (matchIou / 2) * (1 - distance / maxCenterDistance) : 0;
  }
}

/**
 * Optimal one-to-one assignment maximising the summed affinity (Hungarian method with potentials,
 * O(n²m)); pairs with affinity ≤ 0 are never returned. Exact rather than greedy, because two faces
 * side by side can make greedy take the one pair that forces the other into a swap.
 * Returns [row, column] pairs.
 */
export function assignMaxAffinity(affinity: readonly (readonly number[])[]): [number, number][] {
  const rows = affinity.length;
  const cols = affinity[0]?.length ?? 0;
  if (rows === 0 || cols === 0) return [];
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  // Leaving a pair out costs 0, so a forbidden pair (affinity ≤ 0) costs 0 too and never beats it.
  const cost = (i: number, j: number): number => {
    const a = transpose ? affinity[j]![i]! : affinity[i]![j]!;
    return a > 0 ? -a : 0;
  };
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row (1-based) assigned to column j; 0 = none
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const usedCol = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    usedCol.fill(0);
    do {
      usedCol[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (usedCol[j]) continue;
        const reduced = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (usedCol[j]) {
          const row = p[j]!;
          u[row] = u[row]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: [number, number][] = [];
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    const [row, col] = transpose ? [j - 1, i - 1] : [i - 1, j - 1];
    if (affinity[row]![col]! > 0) pairs.push([row, col]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** One number for a face's scale, robust to the detector's aspect. */
function faceSize(w: number, h: number): number {
  return Math.max(MIN_SIDE, Math.sqrt(Math.max(0, w) * Math.max(0, h)));
}

function tenth(v: number): number {
  return Math.round(v * 10) / 10;
}
