// Runs ffprobe and ffmpeg on a stored upload to decide whether it is a video the service can work on.
// Fed by intake with a server-side file path (and the tool binaries, from env); returns MediaInfo or a
// user-facing reason that never carries server paths. Arguments and parsing: workers/analysis/media-probe.
import { execFile } from 'node:child_process';
import {
  decodeCheckArgs,
  decodedFrameCount,
  ffprobeArgs,
  parseProbe,
  thumbnailArgs,
  toolMessage,
  type MediaInfo,
  type ProbeResult,
} from '../../workers/analysis/media-probe';

export type MediaBinaries = { ffprobe?: string; ffmpeg?: string };
export type DecodeCheck = { ok: true } | { ok: false; reason: string };

const TOOL_TIMEOUT_MS = 60_000;
// ffprobe's JSON grows with the stream count; real files stay far below this.
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

type ToolRun = { exitCode: number | null; stdout: string; stderr: string; timedOut: boolean };

/** Rejects only when the caller aborts or the binary cannot be started: neither says anything about the file. */
function runTool(bin: string, args: string[], signal?: AbortSignal): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, signal },
      (error, stdout, stderr) => {
        if (signal?.aborted) return reject(signal.reason);
        if (!error) return resolve({ exitCode: 0, stdout, stderr, timedOut: false });
        if (typeof error.code === 'string' && error.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(error);
        const exitCode = typeof error.code === 'number' ? error.code : null;
        // Node marks both its timeout kill and its output-limit kill as `killed`; only the latter has a code.
        resolve({ exitCode, stdout, stderr, timedOut: error.killed === true && error.code == null });
      },
    );
  });
}

function unreadable(detail: string): ProbeResult {
  return { ok: false, reason: `The file is not a readable video (${detail}).` };
}

export async function probeMedia(file: string, signal?: AbortSignal, binaries: MediaBinaries = {}): Promise<ProbeResult> {
  const run = await runTool(binaries.ffprobe ?? 'ffprobe', ffprobeArgs(file), signal);
  if (run.timedOut) return unreadable(`reading it took longer than ${TOOL_TIMEOUT_MS / 1000} s`);
  if (run.exitCode !== 0) return unreadable(toolMessage(run.stderr, file) ?? 'ffprobe failed without a message');
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    return unreadable('ffprobe printed no valid JSON');
  }
  return parseProbe(json);
}

/**
 * Decodes a frame at the start and one a second before the claimed end. A file cut short after its
 * index (a faststart MP4 whose moov promises more than the data holds) probes fine and fails only here.
 */
export async function checkDecodable(
  file: string,
  media: MediaInfo,
  signal?: AbortSignal,
  binaries: MediaBinaries = {},
): Promise<DecodeCheck> {
  const ffmpeg = binaries.ffmpeg ?? 'ffmpeg';
  const decodesAt = async (seconds: number): Promise<boolean> => {
    const run = await runTool(ffmpeg, decodeCheckArgs(file, seconds), signal);
    return run.exitCode === 0 && decodedFrameCount(run.stdout) >= 1;
  };
  const [head, tail] = await Promise.all([decodesAt(0), decodesAt(Math.max(0, media.duration - 1))]);
  if (!head) return { ok: false, reason: 'The video is damaged: its first frame cannot be decoded.' };
  if (!tail) return { ok: false, reason: 'The video is truncated or damaged: its last part cannot be decoded.' };
  return { ok: true };
}

/** A JPEG of one frame at `atSeconds`, or null when ffmpeg could not make one (a thumbnail is optional). */
export function extractThumbnail(
  file: string,
  atSeconds: number,
  signal?: AbortSignal,
  binaries: MediaBinaries = {},
): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries.ffmpeg ?? 'ffmpeg',
      thumbnailArgs(file, atSeconds),
      { encoding: 'buffer', timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, signal },
      (error, stdout) => {
        if (signal?.aborted) return reject(signal.reason);
        resolve(!error && stdout.length > 0 ? stdout : null);
      },
    );
  });
}
