// Starts ffmpeg.wasm (single-thread core) from the app's own copy in /vendor/ffmpeg/ (never a CDN),
// exposes the user's file to it read-only (WORKERFS: no copy into wasm memory) and ties its lifetime
// to an AbortSignal: aborting terminates the worker, and the pending call rejects with an AbortError.
import type { FFFSType, FFmpeg, LogEvent } from '@ffmpeg/ffmpeg';
import { ffprobeArgs, parseProbe, type MediaInfo } from '../analysis/media-probe';

export interface FFmpegRuntimeOptions {
  /** Where the app serves ffmpeg-core.{js,wasm} and the class worker; default `/vendor/ffmpeg`. */
  base?: string;
  signal?: AbortSignal;
}

/** A loaded ffmpeg.wasm with the input mounted at `input`. `close()` frees it (idempotent). */
export interface FFmpegRuntime {
  ffmpeg: FFmpeg;
  /** The mounted file's path inside ffmpeg's filesystem. */
  input: string;
  /** Runs ffmpeg; rejects with the log's last lines when it exits non-zero, with an AbortError when aborted. */
  exec(args: string[], onLine?: (line: string) => void): Promise<void>;
  /** ffprobe's facts about the input (the server's parser), plus the video stream's time base. */
  probe(): Promise<ProbedMedia>;
  close(): void;
}

export interface ProbedMedia {
  media: MediaInfo;
  /** The first video stream's time base as [numerator, denominator]. */
  timeBase: [number, number];
}

export const DEFAULT_FFMPEG_BASE = '/vendor/ffmpeg';
const INPUT_DIR = '/input';
const PROBE_FILE = '/probe.json';

/** ffmpeg.wasm rejects a terminated call with its own Error; callers get the DOM's AbortError instead. */
function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof DOMException ? signal.reason : new DOMException('cancelled', 'AbortError');
}

export async function openFFmpeg(file: Blob, o: FFmpegRuntimeOptions = {}): Promise<FFmpegRuntime> {
  o.signal?.throwIfAborted();
  const base = new URL(o.base ?? DEFAULT_FFMPEG_BASE, location.href).href.replace(/\/$/, '');
  // @ffmpeg/ffmpeg is loaded as served, not bundled: it starts its worker with
  // `new Worker(new URL(classWorkerURL, import.meta.url))`, which the bundler cannot resolve.
  const { FFmpeg: FFmpegClass } = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ `${base}/index.js`)) as {
    FFmpeg: new () => FFmpeg;
  };
  o.signal?.throwIfAborted();
  const ffmpeg = new FFmpegClass();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    o.signal?.removeEventListener('abort', close);
    ffmpeg.terminate();
  };
  o.signal?.addEventListener('abort', close, { once: true });
  const guard = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (o.signal?.aborted) throw abortError(o.signal);
      throw error;
    }
  };
  try {
    await guard(
      ffmpeg.load({
        classWorkerURL: `${base}/worker.js`,
        coreURL: `${base}/ffmpeg-core.js`,
        wasmURL: `${base}/ffmpeg-core.wasm`,
      }),
    );
    await guard(ffmpeg.createDir(INPUT_DIR));
    // WORKERFS keeps a File's name; a bare Blob gets a neutral one (ffmpeg probes content, not names).
    const name = file instanceof File && /^[\w.-]+$/.test(file.name) ? file.name : 'source';
    await guard(ffmpeg.mount('WORKERFS' as FFFSType, { blobs: [{ name, data: file }] }, INPUT_DIR));
    const input = `${INPUT_DIR}/${name}`;
    /** Runs one tool; a non-zero exit rejects with the log's last lines. */
    const run = async (tool: 'ffmpeg' | 'ffprobe', args: string[], onLine?: (line: string) => void) => {
      const tail: string[] = [];
      const listener = ({ message }: LogEvent) => {
        tail.push(message);
        if (tail.length > 8) tail.shift();
        onLine?.(message);
      };
      ffmpeg.on('log', listener);
      try {
        const code = await guard(tool === 'ffmpeg' ? ffmpeg.exec(args) : ffmpeg.ffprobe(args));
        // ffprobe in this core returns -1 even when it succeeded (ffmpegwasm/ffmpeg.wasm#817): its
        // caller judges it by the output file instead.
        if (code !== 0 && tool === 'ffmpeg') throw new Error(`${tool} exited with ${code}: ${tail.slice(-3).join(' | ')}`);
      } finally {
        ffmpeg.off('log', listener);
      }
    };
    return {
      ffmpeg,
      input,
      close,
      async probe() {
        const lines: string[] = [];
        await run('ffprobe', [...ffprobeArgs(input), '-o', PROBE_FILE], (line) => lines.push(line));
        let json: unknown;
        try {
          json = JSON.parse(String(await guard(ffmpeg.readFile(PROBE_FILE, 'utf8'))));
          await guard(ffmpeg.deleteFile(PROBE_FILE));
        } catch (error) {
          if (o.signal?.aborted) throw error;
          throw new Error(`ffprobe could not read the file: ${lines.slice(-3).join(' | ') || 'no output'}`);
        }
        const probed = parseProbe(json);
        if (!probed.ok) throw new Error(probed.reason);
        const streams = (json as { streams?: { codec_type?: string; time_base?: string }[] }).streams ?? [];
        const [num, den] = (streams.find((s) => s.codec_type === 'video')?.time_base ?? '').split('/').map(Number);
        if (!num || !den) throw new Error('the video stream has no time base');
        return { media: probed.media, timeBase: [num, den] };
      },
      exec: (args, onLine) => run('ffmpeg', args, onLine),
    };
  } catch (error) {
    close();
    throw error;
  }
}
