// Pure half of the server's frame source: the ffmpeg arguments that decode a video to packed RGB24
// at the analysis size and sampling rate, and the bookkeeping that recovers, for every frame ffmpeg
// writes, its decoded frame number and presentation time (from two `showinfo` filters: one before
// the sampling `select`, which sees every decoded frame, and one after it).
// Fed by probe metadata and ffmpeg's stderr lines; returns arguments and {frame, timestamp} pairs.

export interface FrameDecodeOptions {
  input: string;
  /** Output size in pixels (even numbers). */
  width: number;
  height: number;
  /** Frames per second to keep; undefined keeps every decoded frame. */
  sampleFps?: number;
  /** Decoder threads (ffmpeg's `-threads` for the input). */
  threads?: number;
}

/** The output size for a frame of srcW×srcH scaled so its longer side is at most `maxSide` (even, ≥ 2). */
export function analysisSize(srcW: number, srcH: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(srcW, srcH));
  const even = (v: number) => Math.max(2, Math.round((v * scale) / 2) * 2);
  return { width: even(srcW), height: even(srcH) };
}

/** A select expression keeping the first frame of every 1/fps slot, so 25 → 10 fps keeps 10 a second. */
export function samplingExpression(fps: number): string {
  return `isnan(prev_selected_t)+gte(floor(t*${fps})\\,floor(prev_selected_t*${fps})+1)`;
}

export function frameDecodeArgs(o: FrameDecodeOptions): string[] {
  const filters = ['showinfo=checksum=0'];
  if (o.sampleFps) filters.push(`select='${samplingExpression(o.sampleFps)}'`, 'showinfo=checksum=0');
  filters.push(`scale=${o.width}:${o.height}:flags=bilinear`);
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'info',
    '-threads',
    String(o.threads ?? 0),
    // Keep the file's own timestamps: API times are presentation times as a player shows them.
    '-copyts',
    '-i',
    o.input,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-fps_mode',
    'passthrough',
    '-vf',
    filters.join(','),
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

const SHOWINFO = /\[Parsed_showinfo_(\d+) @ [^\]]+\] n:\s*(\d+) pts:\s*(-?\d+|NOPTS) pts_time:(\S+)/;

export interface ShowinfoLine {
  filterIndex: number;
  n: number;
  ptsTime: number;
}

export function parseShowinfoLine(line: string): ShowinfoLine | null {
  const m = SHOWINFO.exec(line);
  if (!m) return null;
  const ptsTime = Number(m[4]);
  return { filterIndex: Number(m[1]), n: Number(m[2]), ptsTime: Number.isFinite(ptsTime) ? ptsTime : NaN };
}

export interface FrameStamp {
  /** Decoded video frame number, from 0. */
  frame: number;
  /** Presentation time in seconds from the start of the file. */
  timestamp: number;
}

/**
 * Turns showinfo lines into one stamp per output frame. With sampling, the first showinfo sees every
 * decoded frame (its `n` is the frame number) and the second sees the kept ones; a kept frame is
 * matched to the decoded frame with the same presentation time. Memory stays bounded: decoded
 * frames older than the last kept one are forgotten.
 */
export class FrameStamper {
  private readonly seen: { n: number; pts: number }[] = [];
  private firstFilter = -1;

  constructor(
    private readonly sampled: boolean,
    /** Subtracted from container timestamps (non-zero-based containers such as MPEG-TS). */
    private readonly timeOffset = 0,
  ) {}

  /** Feeds one stderr line; returns the stamp of an output frame when the line describes one. */
  push(line: string): FrameStamp | null {
    const info = parseShowinfoLine(line);
    if (!info) return null;
    if (this.firstFilter < 0) this.firstFilter = info.filterIndex;
    const stamp = (n: number, pts: number): FrameStamp => ({ frame: n, timestamp: Math.max(0, round6(pts - this.timeOffset)) });
    if (!this.sampled) return stamp(info.n, info.ptsTime);
    if (info.filterIndex === this.firstFilter) {
      this.seen.push({ n: info.n, pts: info.ptsTime });
      return null;
    }
    const at = this.seen.findIndex((s) => s.pts === info.ptsTime);
    const match = at >= 0 ? this.seen[at]! : this.seen.at(-1);
    this.seen.splice(0, at >= 0 ? at + 1 : this.seen.length);
    return match ? stamp(match.n, match.pts) : null;
  }
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Containers whose clock does not start at zero; their start time is subtracted. */
export function containerTimeOffset(formatName: string, formatStartTime: number): number {
  return /mpegts|mpeg|mpegvideo|m2ts/.test(formatName) && formatStartTime > 0 ? formatStartTime : 0;
}
