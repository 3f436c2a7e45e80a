// Pure half of the renderer: turns a crop path into the ffmpeg arguments of one decode/encode pass
// (accurate seek, constant-rate resampling, cropped and scaled branches, x264 + AAC) and the `sendcmd`
// file that moves the crop windows frame by frame. Fed by the reframe path and the source's frame rate.
import { lerpWindow, type CropWindow, type ReframePath } from './reframe-path';

export interface CropCommandOptions {
  /** Output frames per second (the source's rate, so no frame is invented or dropped). */
  fps: number;
  /**
   * Seconds subtracted from container times (MPEG-TS). Accepted for symmetry with `renderArgs`: the
   * filter clock starts at the seek point, so the commands themselves do not depend on it.
   */
  timeOffset?: number;
}

export interface RenderArgsOptions {
  input: string;
  output: string;
  path: ReframePath;
  /** Where the text of `cropCommands` was written. */
  commandsFile: string;
  fps: number;
  hasAudio: boolean;
  crf: number;
  preset: string;
  timeOffset?: number;
}

interface Rate {
  num: number;
  den: number;
}

/** 29.97 → 2997/100, 30000/1001-ish floats → 30000/1001: the fps filter and our frame clock must agree exactly. */
export function frameRate(fps: number): Rate {
  if (!(fps > 0 && Number.isFinite(fps))) throw new RangeError(`invalid frame rate ${fps}`);
  for (const den of [1, 1001, 100, 1000, 1_000_000]) {
    const num = Math.round(fps * den);
    if (Math.abs(num / den - fps) < 1e-6 * Math.max(1, fps)) return { num, den };
  }
  return { num: Math.round(fps * 1_000_000), den: 1_000_000 };
}

/** Longest keyframe interval expected in an MPEG-TS source (broadcast and HLS use 0.5–10 s). */
const TS_PREROLL_SECONDS = 10;

const rateText = (r: Rate) => (r.den === 1 ? String(r.num) : `${r.num}/${r.den}`);
const seconds = (v: number) => (Math.round(v * 1e6) / 1e6).toFixed(6).replace(/\.?0+$/, '') || '0';

/** Output frame count of a path rendered at `fps`: the frames k with k/fps inside the span (`-t` cuts the rest). */
export function outputFrameCount(path: ReframePath, fps: number): number {
  const r = frameRate(fps);
  return Math.max(1, Math.ceil(((path.end - path.start) * r.num) / r.den - 1e-6));
}

interface Size {
  w: number;
  h: number;
}

/** Crop sizes fixed for the whole render: one for single scenes, one per pane index of split scenes. */
interface CropSizes {
  single: Size | null;
  panes: Size[];
}

/** Where each crop sits on one output frame; `layout` says which branch the frame shows. */
interface FramePlan {
  layout: 'single' | 'split';
  windows: { x: number; y: number }[];
}

function cropSizes(path: ReframePath): CropSizes {
  const fit = (w: CropWindow): Size => ({
    w: Math.min(path.source.width, Math.max(2, Math.round(w.w))),
    h: Math.min(path.source.height, Math.max(2, Math.round(w.h))),
  });
  let single: Size | null = null;
  let panes: Size[] | null = null;
  for (const scene of path.scenes) {
    if (scene.keyframes.length === 0) throw new RangeError(`scene at ${scene.start}s has no keyframe`);
    if (scene.layout === 'single') single ??= fit(scene.keyframes[0]!);
    else {
      panes ??= scene.keyframes[0]!.panes.map(fit);
      if (panes.length === 0 || scene.keyframes.some((k) => k.panes.length !== panes!.length))
        throw new RangeError('every split keyframe needs the same number of panes (at least one)');
    }
  }
  if (!single && !panes) throw new RangeError('the path has no scene');
  return { single, panes: panes ?? [] };
}

/**
 * A window of the planned size placed around the window's centre (a path edited by hand may change
 * sizes; the renderer keeps one size per crop, as the format promises), clamped inside the source.
 */
function place(w: CropWindow, size: Size, source: ReframePath['source']): { x: number; y: number } {
  const x = w.x + (w.w - size.w) / 2;
  const y = w.y + (w.h - size.h) / 2;
  return {
    x: Math.min(source.width - size.w, Math.max(0, Math.round(x))),
    y: Math.min(source.height - size.h, Math.max(0, Math.round(y))),
  };
}

/**
 * The window a keyframe list gives an output frame. Output frame k (at `t`) shows the latest source
 * frame timed before `t + half a frame` (the fps filter rounds to the nearest slot), so discontinuities —
 * scene changes and hard cuts — are decided at `cutClock`, while pans are interpolated at `t` itself.
 */
function keyframeWindow<K extends { t: number }>(
  keyframes: readonly K[],
  t: number,
  cutClock: number,
  lerp: (a: K, b: K, f: number) => K,
): K {
  const i = lastAtOrBefore(keyframes, (k) => k.t, cutClock);
  const a = keyframes[i]!;
  const b = keyframes[i + 1];
  if (!b || t <= a.t || b.t <= a.t) return a;
  return lerp(a, b, Math.min(1, (t - a.t) / (b.t - a.t)));
}

/** Index of the last item whose key is ≤ `at` (0 when none is): a binary search, paths can be long. */
function lastAtOrBefore<T>(items: readonly T[], key: (item: T) => number, at: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (key(items[mid]!) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per output frame: the layout and every crop's position (crops of the hidden branch hold still). */
function* framePlans(path: ReframePath, fps: number, sizes: CropSizes): Generator<FramePlan> {
  const r = frameRate(fps);
  const frames = outputFrameCount(path, fps);
  const scenes = [...path.scenes].sort((a, b) => a.start - b.start);
  const crops = (sizes.single ? 1 : 0) + sizes.panes.length;
  const held: { x: number; y: number }[] = [];
  // Seed every crop with its first window, so a branch shown late does not start from a default.
  const firstSingle = scenes.find((s) => s.layout === 'single');
  const firstSplit = scenes.find((s) => s.layout === 'split');
  if (sizes.single && firstSingle) held.push(place(firstSingle.keyframes[0]!, sizes.single, path.source));
  if (firstSplit?.layout === 'split')
    sizes.panes.forEach((size, p) => held.push(place(firstSplit.keyframes[0]!.panes[p]!, size, path.source)));

  for (let k = 0; k < frames; k++) {
    const t = path.start + (k * r.den) / r.num;
    const cutClock = t + (0.5 * r.den) / r.num - 1e-7;
    const scene = scenes[lastAtOrBefore(scenes, (s) => s.start, cutClock)]!;
    if (scene.layout === 'single') {
      held[0] = place(keyframeWindow(scene.keyframes, t, cutClock, lerpWindow), sizes.single!, path.source);
    } else {
      const kf = keyframeWindow(scene.keyframes, t, cutClock, (a, b, f) => ({
        t: a.t,
        panes: a.panes.map((p, i) => lerpWindow(p, b.panes[i]!, f)),
      }));
      const base = sizes.single ? 1 : 0;
      sizes.panes.forEach((size, p) => (held[base + p] = place(kf.panes[p]!, size, path.source)));
    }
    yield { layout: scene.layout, windows: held.slice(0, crops) };
  }
}

function cropNames(sizes: CropSizes): string[] {
  return [...(sizes.single ? ['crop@single'] : []), ...sizes.panes.map((_, p) => `crop@pane${p}`)];
}

/**
 * The `sendcmd` file: one interval per output frame on which some crop moves, starting half a frame
 * before that frame's time so float rounding can never move a command onto a neighbouring frame.
 * Frame 0 repeats the filters' initial windows at 0 s: sendcmd refuses a file without commands.
 */
export function cropCommands(path: ReframePath, opts: CropCommandOptions): string {
  const r = frameRate(opts.fps);
  const sizes = cropSizes(path);
  const names = cropNames(sizes);
  const lines = ['# crop window moves, in output seconds (frame k is at k/fps)'];
  let last: { x: number; y: number }[] = [];
  let k = 0;
  for (const plan of framePlans(path, opts.fps, sizes)) {
    const moves: string[] = [];
    plan.windows.forEach((w, i) => {
      if (k === 0 || w.x !== last[i]!.x) moves.push(`${names[i]} x ${w.x}`);
      if (k === 0 || w.y !== last[i]!.y) moves.push(`${names[i]} y ${w.y}`);
    });
    if (moves.length) lines.push(`${k === 0 ? '0' : seconds(((k - 0.5) * r.den) / r.num)} ${moves.join(', ')};`);
    last = plan.windows.map((w) => ({ ...w }));
    k++;
  }
  return lines.join('\n') + '\n';
}

/** Output frame ranges [from, to) that show the split branch. */
function splitRanges(path: ReframePath, fps: number, sizes: CropSizes): [number, number][] {
  const ranges: [number, number][] = [];
  let k = 0;
  for (const plan of framePlans(path, fps, sizes)) {
    if (plan.layout === 'split') {
      const last = ranges.at(-1);
      if (last && last[1] === k) last[1] = k + 1;
      else ranges.push([k, k + 1]);
    }
    k++;
  }
  return ranges;
}

/** Output heights of stacked panes: even, adding up to the output height. */
export function paneHeights(outputHeight: number, panes: number): number[] {
  const each = Math.floor(outputHeight / panes / 2) * 2;
  return Array.from({ length: panes }, (_, i) => (i === panes - 1 ? outputHeight - each * (panes - 1) : each));
}

/** Escapes a filter option value for a `-filter_complex` argument (option level, then graph level). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

export function renderArgs(o: RenderArgsOptions): string[] {
  const { path } = o;
  const r = frameRate(o.fps);
  const span = path.end - path.start;
  if (!(span > 0)) throw new RangeError(`empty span ${path.start}–${path.end}`);
  const { width: W, height: H } = path.output;
  const sizes = cropSizes(path);
  const names = cropNames(sizes);
  const first = framePlans(path, o.fps, sizes).next().value!.windows;
  const crop = (i: number, size: Size) => `${names[i]}=w=${size.w}:h=${size.h}:x=${first[i]!.x}:y=${first[i]!.y}`;

  const branches = (sizes.single ? 1 : 0) + sizes.panes.length;
  const seek = path.start + (o.timeOffset ?? 0);
  // MPEG-TS seeks by packet timestamp, not to a keyframe, and the decoder then drops everything up to
  // the next keyframe: start decoding well before the span and drop the lead-in in the graph.
  const preroll = o.timeOffset ? Math.min(seek, TS_PREROLL_SECONDS) : 0;
  const lead = (trim: string, setpts: string) => (preroll ? `${trim}=start=${seconds(preroll)},${setpts}=PTS-${seconds(preroll)}/TB,` : '');
  // The fps filter makes the clock exact (frame k at k/fps) whatever the source's timing (VFR, late
  // first frame: `start_time=0` repeats the first picture back to the start of the span).
  const head = `[0:v:0]${lead('trim', 'setpts')}fps=${rateText(r)}:start_time=0,sendcmd=f=${escapeFilterValue(o.commandsFile)}`;
  const graph: string[] = [];
  if (!sizes.panes.length) {
    graph.push(`${head},${crop(0, sizes.single!)},scale=${W}:${H},setsar=1,format=yuv420p[v]`);
  } else {
    const base = sizes.single ? 1 : 0;
    const heights = paneHeights(H, sizes.panes.length);
    const labels = sizes.panes.map((_, p) => `[p${p}]`);
    graph.push(branches > 1 ? `${head},split=${branches}${sizes.single ? '[s]' : ''}${labels.join('')}` : `${head}${labels[0]}`);
    sizes.panes.forEach((size, p) => graph.push(`${labels[p]}${crop(base + p, size)},scale=${W}:${heights[p]},setsar=1[q${p}]`));
    const stacked = sizes.panes.length > 1 ? `${labels.map((_, p) => `[q${p}]`).join('')}vstack=inputs=${sizes.panes.length}` : '[q0]null';
    if (sizes.single) {
      graph.push(`${stacked}[stack]`);
      graph.push(`[s]${crop(0, sizes.single)},scale=${W}:${H},setsar=1[single]`);
      // Each range is widened by half a frame on both sides so the test on `t` is immune to rounding.
      const enable =
        splitRanges(path, o.fps, sizes)
          .map(([a, b]) => `between(t,${seconds(((a - 0.5) * r.den) / r.num)},${seconds(((b - 0.5) * r.den) / r.num)})`)
          .join('+') || '0';
      graph.push(`[single][stack]overlay=x=0:y=0:enable='${enable}',format=yuv420p[v]`);
    } else {
      graph.push(`${stacked},format=yuv420p[v]`);
    }
  }
  if (o.hasAudio) graph.push(`[0:a:0]${lead('atrim', 'asetpts')}aresample=async=1:first_pts=0[a]`);

  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    // The seek is to an absolute container time (path time + offset), so the filter clock is 0 at `start`.
    '-seek_timestamp',
    '1',
    '-ss',
    seconds(seek - preroll),
    '-t',
    seconds(span + preroll),
    '-i',
    o.input,
    '-filter_complex',
    graph.join(';'),
    '-map',
    '[v]',
    ...(o.hasAudio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '128k'] : ['-an']),
    '-sn',
    '-dn',
    '-c:v',
    'libx264',
    '-preset',
    o.preset,
    '-crf',
    String(o.crf),
    '-pix_fmt',
    'yuv420p',
    // The fps filter closes on the frame at `end`; the span itself ends just before it.
    '-t',
    seconds(span),
    '-movflags',
    '+faststart',
    '-progress',
    'pipe:1',
    '-f',
    'mp4',
    '-y',
    o.output,
  ];
}
