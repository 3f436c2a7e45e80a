// Pure half of the server's frame source: the ffmpeg arguments that decode a video to packed RGB24
// at the analysis size and sampling rate, and the bookkeeping that recovers, for every frame ffmpeg
// writes, its decoded frame number and presentation time (from two `showinfo` filters: one before
// the sampling `select`, which sees every decoded frame, and one after it); and the plan that splits a
// long decode into segments starting at keyframes, so that two ffmpeg processes can share the work.
// Fed by probe metadata and ffmpeg's stderr lines; returns arguments, {frame, timestamp} pairs and plans.

export interface FrameDecodeOptions {
  input: string;
  /** Output size in pixels (even numbers). */
  width: number;
  height: number;
  /** Frames per second to keep; undefined keeps every decoded frame. */
  sampleFps?: number;
  /** Decoder threads (ffmpeg's `-threads` for the input). */
  threads?: number;
  /** swscale's resampling (`scale` filter flags). Default `bilinear`. */
  /** Raw pixel format on stdout: packed RGB24 (default) or planar yuv420p (the face mesh's source). */
  pixelFormat?: 'rgb24' | 'yuv420p';
  scaleFlags?: 'bilinear' | 'fast_bilinear' | 'area' | 'neighbor';
  /** Starts decoding at the keyframe at or before this presentation time (seconds, the file's own
   *  clock), without dropping anything: frame numbers then count from that keyframe. */
  seekTo?: number;
  /** Stops before the first frame whose pts (stream time base) is at least this. */
  endPts?: number;
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
  const filters = o.endPts === undefined ? [] : [`trim=end_pts=${o.endPts}`];
  filters.push('showinfo=checksum=0');
  if (o.sampleFps) filters.push(`select='${samplingExpression(o.sampleFps)}'`, 'showinfo=checksum=0');
  filters.push(`scale=${o.width}:${o.height}:flags=${o.scaleFlags ?? 'bilinear'}`);
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'info',
    '-threads',
    String(o.threads ?? 0),
    // Keep the file's own timestamps: API times are presentation times as a player shows them.
    '-copyts',
    ...(o.seekTo === undefined ? [] : ['-seek_timestamp', '1', '-noaccurate_seek', '-ss', o.seekTo.toFixed(6)]),
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
    o.pixelFormat ?? 'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

const SHOWINFO = /\[Parsed_showinfo_(\d+) @ [^\]]+\] n:\s*(\d+) pts:\s*(-?\d+|NOPTS) pts_time:(\S+)/;

export interface ShowinfoLine {
  filterIndex: number;
  n: number;
  /** In the stream's time base; NaN when the frame has none. */
  pts: number;
  ptsTime: number;
}

export function parseShowinfoLine(line: string): ShowinfoLine | null {
  const m = SHOWINFO.exec(line);
  if (!m) return null;
  const ptsTime = Number(m[4]);
  return { filterIndex: Number(m[1]), n: Number(m[2]), pts: Number(m[3]), ptsTime: Number.isFinite(ptsTime) ? ptsTime : NaN };
}

export interface FrameStamp {
  /** Decoded video frame number, from 0. */
  frame: number;
  /** Presentation time in seconds from the start of the file. */
  timestamp: number;
  /** Presentation time in the stream's time base (exact, for matching frames); NaN when unknown.
   *  Always set by FrameStamper; optional so frames made elsewhere need not invent one. */
  pts?: number;
}

/**
 * Turns showinfo lines into one stamp per output frame. With sampling, the first showinfo sees every
 * decoded frame (its `n` is the frame number) and the second sees the kept ones; a kept frame is
 * matched to the decoded frame with the same presentation time. Memory stays bounded: decoded
 * frames older than the last kept one are forgotten.
 */
export class FrameStamper {
  private readonly seen: { n: number; pts: number; ptsTime: number }[] = [];
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
    const stamp = (s: { n: number; pts: number; ptsTime: number }): FrameStamp => ({
      frame: s.n,
      timestamp: Math.max(0, round6(s.ptsTime - this.timeOffset)),
      pts: s.pts,
    });
    if (!this.sampled) return stamp(info);
    if (info.filterIndex === this.firstFilter) {
      this.seen.push(info);
      return null;
    }
    const at = this.seen.findIndex((s) => s.ptsTime === info.ptsTime);
    const match = at >= 0 ? this.seen[at]! : this.seen.at(-1);
    this.seen.splice(0, at >= 0 ? at + 1 : this.seen.length);
    return match ? stamp(match) : null;
  }
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Containers whose clock does not start at zero; their start time is subtracted. */
export function containerTimeOffset(formatName: string, formatStartTime: number): number {
  return /mpegts|mpeg|mpegvideo|m2ts/.test(formatName) && formatStartTime > 0 ? formatStartTime : 0;
}

/** One part of a segmented decode: the frames whose pts (stream time base) is in [startPts, endPts);
 *  an undefined end is the file's. `seekTo` makes ffmpeg start at the keyframe `startPts`. */
export interface DecodeSegment {
  startPts?: number;
  seekTo?: number;
  endPts?: number;
}

export interface SegmentTargetOptions {
  /** Decoded frames in the video and its length in seconds (probe metadata). */
  frames: number;
  duration: number;
  /** Presentation time of the file's start, in seconds (0 for most containers). */
  start?: number;
  /** Bytes of one decoded frame at the output size. */
  frameBytes: number;
  /** Decoded bytes one segment should fit in: a segment is decoded ahead while the one before it is
   *  analysed, so this is the memory it holds. Default 32 MiB. */
  segmentBytes?: number;
  /** Videos shorter than two segments of this many frames are decoded in one piece: a second ffmpeg
   *  and the keyframe probe cost more than they save there. Default 250. */
  minSegmentFrames?: number;
}

/** Times (seconds) near which to split: an even number of similar segments (two decoders share them
 *  in pairs), each small enough for `segmentBytes`. Empty when the video is too short to split. */
export function segmentTargets(o: SegmentTargetOptions): number[] {
  const minFrames = o.minSegmentFrames ?? 250;
  if (!(o.frames >= 2 * minFrames && o.duration > 0)) return [];
  const perSegment = Math.max(minFrames, Math.floor((o.segmentBytes ?? 32 * 1024 * 1024) / o.frameBytes));
  const count = 2 * Math.ceil(o.frames / (2 * perSegment));
  // Equal shares: the consumer of 96-px frames is cheap, so both decoders should finish together
  // (moving the splits earlier, to leave the consumer time for the last segment, measured slower).
  return Array.from({ length: count - 1 }, (_, i) => (o.start ?? 0) + (o.duration * (i + 1)) / count);
}

/** ffprobe arguments that read the first video packet and the first packet at each target (a demuxer
 *  seek lands on the keyframe at or before it), with what is needed to seek there exactly. */
export function keyframeProbeArgs(input: string, targets: readonly number[]): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-read_intervals',
    ['%+#1', ...targets.map((t) => `${t.toFixed(6)}%+#1`)].join(','),
    '-show_entries',
    'stream=time_base,has_b_frames:packet=pts,flags',
    '-of',
    'json',
    input,
  ];
}

export interface KeyframeProbe {
  /** Stream time base as [numerator, denominator]. */
  timeBase: [number, number];
  /** ffmpeg moves a seek back by 3/23 s in files with B-frames (its "dts heuristic"). */
  hasBFrames: boolean;
  /** pts of the first packet read, then of the keyframes found (in reading order). */
  firstPts: number;
  keyframes: number[];
}

/** Reads `keyframeProbeArgs`'s JSON; null when it lacks what a plan needs. */
export function parseKeyframeProbe(json: unknown): KeyframeProbe | null {
  const j = json as { streams?: { time_base?: string; has_b_frames?: number }[]; packets?: { pts?: number; flags?: string }[] };
  const [num, den] = (j.streams?.[0]?.time_base ?? '').split('/').map(Number);
  const packets = (j.packets ?? []).filter((p) => Number.isInteger(p.pts));
  if (!num || !den || !packets.length) return null;
  return {
    timeBase: [num, den],
    hasBFrames: (j.streams?.[0]?.has_b_frames ?? 0) > 0,
    firstPts: packets[0]!.pts!,
    keyframes: packets.slice(1).flatMap((p) => (p.flags?.startsWith('K') ? [p.pts!] : [])),
  };
}

// ffmpeg 5.1 (open_input_file) subtracts this from -ss when a stream has B-frames, so that a demuxer
// seeking by dts does not land past the wanted picture; added back it lands on the keyframe itself.
const FFMPEG_SEEK_BACKOFF = Math.floor((3 * 1e6) / 23) / 1e6;
// A seek goes to the last keyframe at or before the target: aim just past the keyframe's time.
const SEEK_MARGIN = 0.0005;

/** Segments starting at the distinct probed keyframes after the first packet, in order. */
export function planSegments(probe: KeyframeProbe): DecodeSegment[] {
  const [num, den] = probe.timeBase;
  const starts = [...new Set(probe.keyframes)].filter((k) => k > probe.firstPts).sort((a, b) => a - b);
  const segments: DecodeSegment[] = [{}];
  for (const startPts of starts) {
    segments.at(-1)!.endPts = startPts;
    const seekTo = (startPts * num) / den + (probe.hasBFrames ? FFMPEG_SEEK_BACKOFF : 0) + SEEK_MARGIN;
    segments.push({ startPts, seekTo });
  }
  return segments;
}
