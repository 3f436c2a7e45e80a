// The crop path: what the camera planner writes, what the renderer reads, what integrators download
// (`suffix=_reframe_path`), edit and send back (`parameters.path`). Times are presentation seconds
// from the start of the file (the analysis results' clock); windows are pixels of the source frame.
//
// Within a scene the window at time t is interpolated linearly between the keyframes around t, held
// before the first and after the last; two keyframes with the same t make a hard cut there (the later
// one applies from t on). Single-layout windows all have one size per path, as do the panes of split
// scenes (pane i keeps one size): a camera that pans, never one that zooms mid-clip.

export type Layout = 'single' | 'split';

export interface CropWindow {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** `subject` is the face_id the window frames, or null when it frames no one (the centre fallback). */
export interface SingleKeyframe extends CropWindow {
  t: number;
  subject: number | null;
}

export interface Pane extends CropWindow {
  subject: number | null;
}

/** Panes are stacked top to bottom in the output, each output.width × output.height / panes.length. */
export interface SplitKeyframe {
  t: number;
  panes: Pane[];
}

export type PathScene =
  | { start: number; end: number; layout: 'single'; keyframes: SingleKeyframe[] }
  | { start: number; end: number; layout: 'split'; keyframes: SplitKeyframe[] };

export interface ReframePath {
  version: 1;
  source: { width: number; height: number };
  /** Output pixels (even numbers). */
  output: { width: number; height: number };
  /** As requested: `9:16`, `1:1`, `4:5`, `16:9` or `W:H`. */
  aspect_ratio: string;
  /** The rendered span of the source, seconds. */
  start: number;
  end: number;
  /** Consecutive, covering [start, end). */
  scenes: PathScene[];
}

/** `9:16` → { w: 9, h: 16 }; null for anything that is not two positive numbers. */
export function parseAspectRatio(value: string): { w: number; h: number } | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return null;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 && w / h >= 0.1 && w / h <= 10 ? { w, h } : null;
}

/** The window of a single-layout scene at time t (see the interpolation rule above). */
export function windowAt<K extends { t: number }>(keyframes: readonly K[], t: number, lerp: (a: K, b: K, f: number) => K): K {
  if (keyframes.length === 0) throw new Error('a scene needs at least one keyframe');
  let i = 0;
  while (i + 1 < keyframes.length && keyframes[i + 1]!.t <= t) i++;
  const a = keyframes[i]!;
  const b = keyframes[i + 1];
  if (!b || t <= a.t) return a;
  return lerp(a, b, (t - a.t) / (b.t - a.t));
}

export function lerpWindow<W extends CropWindow>(a: W, b: W, f: number): W {
  return { ...a, x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
}

/** Rounds to the nearest even pixel count, never past `limit` (itself floored to even). */
function even(value: number, limit: number): number {
  const cap = Math.max(2, Math.floor(limit / 2) * 2);
  return Math.min(cap, Math.max(2, Math.round(value / 2) * 2));
}

/** The largest window of the aspect that fits the source, in even pixels: 1920×1080 at 9:16 → 608×1080. */
export function cropSize(source: { width: number; height: number }, aspect: { w: number; h: number }): { w: number; h: number } {
  const r = aspect.w / aspect.h;
  if (source.width / source.height >= r) return { w: even(source.height * r, source.width), h: even(source.height, source.height) };
  return { w: even(source.width, source.width), h: even(source.width / r, source.height) };
}

/** Output pixels for a crop: `height` tall unless that would upscale the crop and upscaling is not
 *  allowed (then the crop's own height), the width from the aspect; both even, never above the asked height. */
export function outputSize(crop: { w: number; h: number }, aspect: { w: number; h: number }, height: number, allowUpscale: boolean) {
  const wanted = allowUpscale ? height : Math.min(height, crop.h);
  const h = even(wanted, wanted);
  const w = even((h * aspect.w) / aspect.h, allowUpscale ? Infinity : Math.max(crop.w, 2));
  return { width: w, height: h };
}

/** The scene covering t (the last one for t at or past the end), or undefined for an empty path. */
export function sceneAt(path: ReframePath, t: number): PathScene | undefined {
  return path.scenes.find((s) => t >= s.start && t < s.end) ?? (t >= path.end ? path.scenes.at(-1) : path.scenes[0]);
}
