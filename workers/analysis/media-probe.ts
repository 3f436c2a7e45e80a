// Intake checks on an uploaded file, as pure functions: the ffprobe/ffmpeg argument lists, and the
// readers that turn ffprobe's JSON, ffmpeg's `-progress` output and tool stderr into facts.
// Fed by the media-probe repository (which runs the tools); returns MediaInfo or a user-facing reason.

export type MediaInfo = {
  /** Seconds, from the container (it covers every stream). */
  duration: number;
  fps: number;
  frames: number;
  /** Display size: already swapped when the video is stored sideways. */
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  formatName: string;
  sizeBytes: number | null;
  /** Seconds on the container's clock where the file starts (format start_time; 0 when absent). */
  startTime: number;
  /** Degrees counterclockwise the stored frames are turned for display (ffprobe's display-matrix sense): -90, 0, 90 or 180. */
  rotation: number;
};

export type ProbeResult = { ok: true; media: MediaInfo } | { ok: false; reason: string };

const MIN_SIDE = 2;
const MAX_SIDE = 16384;
const MAX_DURATION_S = 24 * 60 * 60;
// Above any real camera (960 fps super slow motion). VFR streams often carry a container tick rate
// such as 1000/1 or 90000/1 in r_frame_rate, which would inflate the frame count absurdly.
const MAX_FPS = 960;
const MAX_MESSAGE_CHARS = 160;

export function ffprobeArgs(file: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
}

/**
 * Decodes one frame at `atSeconds` and throws it away. Input seeking keeps it fast on long files;
 * `-xerror` turns damaged data into a non-zero exit instead of a concealed frame; `-progress` on
 * stdout reports how many frames came out, since seeking past the real end exits 0 with none.
 */
export function decodeCheckArgs(file: string, atSeconds: number): string[] {
  return [
    '-nostdin',
    '-v',
    'error',
    '-xerror',
    '-progress',
    'pipe:1',
    '-nostats',
    '-ss',
    atSeconds.toFixed(3),
    '-i',
    file,
    // 0:V skips attached pictures (cover art), matching the stream parseProbe describes.
    '-map',
    '0:V:0',
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ];
}

/** Where the list thumbnail is taken: about 1 s in, or the middle of a clip shorter than 2 s. */
export const thumbnailTime = (duration: number) => (duration >= 2 ? 1 : Math.max(0, duration / 2));

/**
 * One JPEG frame at `atSeconds`, scaled to 640 px wide (height even, aspect kept), written to stdout
 * so the caller stores the bytes itself. `-map 0:V:0` skips cover art as the decode check does.
 */
export function thumbnailArgs(file: string, atSeconds: number): string[] {
  return [
    '-nostdin',
    '-v',
    'error',
    '-ss',
    atSeconds.toFixed(3),
    '-i',
    file,
    '-map',
    '0:V:0',
    '-frames:v',
    '1',
    '-vf',
    'scale=640:-2',
    '-q:v',
    '4',
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    'pipe:1',
  ];
}

/** The final `frame=` count of ffmpeg's `-progress` output (0 when it never reported). */
export function decodedFrameCount(progress: string): number {
  const counts = [...progress.matchAll(/^frame=(\d+)\s*$/gm)];
  const last = counts[counts.length - 1];
  return last ? Number(last[1]) : 0;
}

/**
 * The first meaningful stderr line of ffprobe/ffmpeg, fit to show a user: no `[demuxer @ 0x…]`
 * prefixes and none of the server's paths. Null when the tool said nothing.
 */
export function toolMessage(stderr: string, file: string): string | null {
  for (const raw of stderr.split(/\r?\n/)) {
    const line = (file ? raw.split(file).join('the file') : raw)
      .replace(/^(\s*\[[^\]]* @ 0x[0-9a-f]+\])+\s*/i, '')
      .replace(/^the file:\s*/, '')
      .replace(/(^|[\s'"(=])\/[^\s'")]+/g, '$1…')
      .trim();
    if (line) return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS - 1)}…` : line;
  }
  return null;
}

export function parseProbe(json: unknown): ProbeResult {
  const streams = isRecord(json) && Array.isArray(json.streams) ? json.streams.filter(isRecord) : [];
  if (streams.length === 0) {
    return fail('The file contains no audio or video streams; it does not look like a media file.');
  }
  const format = isRecord(json) && isRecord(json.format) ? json.format : {};

  const video = streams.find((s) => s.codec_type === 'video' && !isAttachedPicture(s));
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video) return fail(audio ? 'The file has no video stream (audio only).' : 'The file has no video stream.');

  const videoCodec = nonEmptyString(video.codec_name);
  if (!videoCodec) return fail('The video is in a format that could not be identified.');

  const storedWidth = positiveNumber(video.width);
  const storedHeight = positiveNumber(video.height);
  if (storedWidth === null || storedHeight === null) return fail('The video’s picture size could not be determined.');
  if (Math.min(storedWidth, storedHeight) < MIN_SIDE || Math.max(storedWidth, storedHeight) > MAX_SIDE) {
    return fail(
      `The video’s picture size (${storedWidth}×${storedHeight} px) is not supported: each side must be between ${MIN_SIDE} and ${MAX_SIDE} pixels.`,
    );
  }

  const duration = positiveNumber(format.duration) ?? positiveNumber(video.duration);
  if (duration === null) return fail('The video’s duration is missing or zero.');
  if (duration > MAX_DURATION_S) {
    return fail(`The file claims a duration of ${formatHours(duration)} which is longer than the 24 h limit.`);
  }

  const fps = frameRate(video.avg_frame_rate) ?? frameRate(video.r_frame_rate);
  if (fps === null) return fail('The video’s frame rate could not be determined.');

  const rotation = displayRotation(video);
  const sideways = Math.abs(rotation) === 90;
  return {
    ok: true,
    media: {
      duration,
      fps,
      frames: positiveInteger(video.nb_frames) ?? Math.round(duration * fps),
      width: sideways ? storedHeight : storedWidth,
      height: sideways ? storedWidth : storedHeight,
      videoCodec,
      audioCodec: audio ? (nonEmptyString(audio.codec_name) ?? 'unknown') : null,
      formatName: nonEmptyString(format.format_name) ?? 'unknown',
      sizeBytes: positiveInteger(format.size),
      startTime: Number.isFinite(Number(format.start_time)) ? Number(format.start_time) : 0,
      rotation,
    },
  };
}

function fail(reason: string): ProbeResult {
  return { ok: false, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAttachedPicture(stream: Record<string, unknown>): boolean {
  return isRecord(stream.disposition) && stream.disposition.attached_pic === 1;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

// ffprobe prints most numbers as strings ("4.000000", "100") and omits or writes "N/A" when unknown.
function positiveNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function positiveInteger(value: unknown): number | null {
  const n = positiveNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** "30000/1001" → 29.97…; "0/0" (unknown) and tick rates beyond MAX_FPS → null. */
function frameRate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const [num, den = '1'] = value.split('/');
  const fps = Number(num) / Number(den);
  return Number.isFinite(fps) && fps > 0 && fps <= MAX_FPS ? fps : null;
}

function displayRotation(stream: Record<string, unknown>): number {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list.filter(isRecord) : [];
  for (const d of sideData) if (typeof d.rotation === 'number') return normalizeRotation(d.rotation);
  // Older ffmpeg exported the `rotate` tag clockwise, the opposite sense of the display matrix.
  const tag = isRecord(stream.tags) ? Number(stream.tags.rotate) : NaN;
  return Number.isFinite(tag) ? normalizeRotation(-tag) : 0;
}

// ffmpeg's autorotation ignores angles that are not right angles, so the decoded frames stay upright-as-stored.
function normalizeRotation(degrees: number): number {
  const turned = ((Math.round(degrees) % 360) + 360) % 360;
  if (turned % 90 !== 0) return 0;
  return turned === 270 ? -90 : turned;
}

function formatHours(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
