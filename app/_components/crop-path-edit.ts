// Pure edits of a reframe crop path for the dashboard's editor: the window at a time (linear between
// keyframes, as the renderer moves it), moving one keyframe's window inside the frame, adding a
// keyframe at a time, and pinning a face for a span (keyframes that follow its detections).
export interface CropWindow {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Keyframe extends CropWindow {
  t: number;
  subject: number | null;
}
export interface SingleScene {
  start: number;
  end: number;
  layout: 'single';
  keyframes: Keyframe[];
}
export interface CropPath {
  version: 1;
  source: { width: number; height: number };
  output: { width: number; height: number };
  aspect_ratio: string;
  start: number;
  end: number;
  scenes: (SingleScene | { start: number; end: number; layout: 'split'; keyframes: unknown[] })[];
}

export function windowAt(keyframes: Keyframe[], t: number): Keyframe {
  const first = keyframes[0]!;
  if (t <= first.t) return first;
  for (let i = 1; i < keyframes.length; i++) {
    const a = keyframes[i - 1]!;
    const b = keyframes[i]!;
    if (t < b.t) {
      const f = b.t === a.t ? 1 : (t - a.t) / (b.t - a.t);
      return { t, subject: a.subject, x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w, h: a.h };
    }
  }
  return keyframes.at(-1)!;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function placeWindow(w: CropWindow, cx: number, cy: number, source: { width: number; height: number }): CropWindow {
  return { ...w, x: Math.round(clamp(cx - w.w / 2, 0, source.width - w.w)), y: Math.round(clamp(cy - w.h / 2, 0, source.height - w.h)) };
}

export const sceneIndexAt = (path: CropPath, t: number) =>
  Math.max(
    0,
    path.scenes.findIndex((s) => t >= s.start && t < s.end),
  );

/** A copy of the path with keyframe `k` of scene `s` moved by (dx, dy) source pixels, kept inside the frame. */
export function moveKeyframe(path: CropPath, s: number, k: number, dx: number, dy: number): CropPath {
  const scene = path.scenes[s];
  if (!scene || scene.layout !== 'single') return path;
  const keyframes = scene.keyframes.map((kf, i) =>
    i === k
      ? {
          ...kf,
          x: Math.round(clamp(kf.x + dx, 0, path.source.width - kf.w)),
          y: Math.round(clamp(kf.y + dy, 0, path.source.height - kf.h)),
          subject: null,
        }
      : kf,
  );
  return { ...path, scenes: path.scenes.map((sc, i) => (i === s ? { ...scene, keyframes } : sc)) };
}

/** Adds a keyframe at `t` (where the window is now) and returns the path and its index. */
export function addKeyframe(path: CropPath, t: number): { path: CropPath; scene: number; index: number } {
  const s = sceneIndexAt(path, t);
  const scene = path.scenes[s];
  if (!scene || scene.layout !== 'single') return { path, scene: s, index: 0 };
  const existing = scene.keyframes.findIndex((k) => Math.abs(k.t - t) < 0.02);
  if (existing >= 0) return { path, scene: s, index: existing };
  const kf = { ...windowAt(scene.keyframes, t), t: Math.round(t * 1000) / 1000 };
  const keyframes = [...scene.keyframes, kf].sort((a, b) => a.t - b.t);
  const next = { ...path, scenes: path.scenes.map((sc, i) => (i === s ? { ...scene, keyframes } : sc)) };
  return { path: next, scene: s, index: keyframes.indexOf(kf) };
}

/**
 * Frames face `detections` from `from` to `to`: the keyframes of every single-layout scene in the
 * span are replaced by one per half second centred on the face (held where it is not detected).
 */
export function pinSubject(
  path: CropPath,
  faceId: number,
  detections: { timestamp: number; bbox: [number, number, number, number] }[],
  from: number,
  to: number,
): CropPath {
  const scenes = path.scenes.map((scene) => {
    if (scene.layout !== 'single' || scene.end <= from || scene.start >= to) return scene;
    const a = Math.max(from, scene.start);
    const b = Math.min(to, scene.end);
    const base = scene.keyframes[0]!;
    const pinned: Keyframe[] = [];
    let last: CropWindow = windowAt(scene.keyframes, a);
    for (let t = a; t <= b + 1e-6; t += 0.5) {
      const near = detections
        .filter((d) => Math.abs(d.timestamp - t) <= 0.3)
        .sort((p, q) => Math.abs(p.timestamp - t) - Math.abs(q.timestamp - t))[0];
      if (near) {
        const [x, y, w, h] = near.bbox;
        // Headroom: the face sits in the upper third of the window, as the planner frames it.
        last = placeWindow({ x: 0, y: 0, w: base.w, h: base.h }, x + w / 2, y + h / 2 + base.h / 6, path.source);
      }
      pinned.push({ t: Math.round(Math.min(t, b) * 1000) / 1000, subject: faceId, ...last, w: base.w, h: base.h });
    }
    const before = scene.keyframes.filter((k) => k.t < a);
    const after = scene.keyframes.filter((k) => k.t > b);
    return { ...scene, keyframes: [...before, ...pinned, ...after] };
  });
  return { ...path, scenes };
}
