// The server's frame source: runs ffmpeg to decode a video to packed RGB24 frames at the analysis
// size and rate, and yields them one at a time with their decoded frame number and presentation
// time. Memory is bounded by a read-ahead queue (`readAheadBytes`): ffmpeg's output is read eagerly
// until the queue is full, so decoding and analysis overlap (a bare 64 KiB pipe would make them take
// turns), and ffmpeg then blocks on the full pipe. Stops ffmpeg when the consumer stops or `signal` fires.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { frameDecodeArgs, FrameStamper, type FrameDecodeOptions, type FrameStamp } from '../analysis/frame-decoding';

export interface RgbFrame extends FrameStamp {
  width: number;
  height: number;
  /** Packed RGB24, width*height*3 bytes. */
  data: Uint8Array;
}

export interface FrameSourceOptions extends FrameDecodeOptions {
  signal?: AbortSignal;
  timeOffset?: number;
  ffmpeg?: string;
  /** Decoded bytes held ahead of the consumer (at least two frames). Default 16 MiB. */
  readAheadBytes?: number;
}

export function decodeFrames(o: FrameSourceOptions): AsyncGenerator<RgbFrame> {
  return readRawFrames(frameDecodeArgs(o), o.width * o.height * 3, o);
}

/** The options the raw-frame reader itself needs, whatever the pixel format. */
export interface RawFrameOptions {
  width: number;
  height: number;
  sampleFps?: number;
  signal?: AbortSignal;
  timeOffset?: number;
  ffmpeg?: string;
  readAheadBytes?: number;
}

/** Runs ffmpeg with `args` (raw frames of `frameBytes` each on stdout, showinfo lines on stderr) and
 *  yields the frames with their stamps; shared by the RGB source and the face mesh's YUV source. */
export async function* readRawFrames(
  args: string[],
  frameBytes: number,
  o: RawFrameOptions,
): AsyncGenerator<FrameStamp & { width: number; height: number; data: Uint8Array }> {
  const proc = spawn(o.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const limit = Math.max(2 * frameBytes, o.readAheadBytes ?? 16 * 1024 * 1024);

  const stamper = new FrameStamper(o.sampleFps !== undefined, o.timeOffset ?? 0);
  const stamps: FrameStamp[] = [];
  const frames: Uint8Array[] = [];
  let partial = new Uint8Array(frameBytes);
  let filled = 0;
  let stdoutDone = false;
  let stderrDone = false;
  let stderrTail = '';
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  proc.stdout.on('data', (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      partial.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        frames.push(partial);
        partial = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
    if (frames.length * frameBytes >= limit) proc.stdout.pause();
    notify();
  });
  proc.stdout.on('end', () => {
    stdoutDone = true;
    notify();
  });
  createInterface({ input: proc.stderr })
    .on('line', (line) => {
      const stamp = stamper.push(line);
      if (stamp) stamps.push(stamp);
      else if (!line.includes('Parsed_showinfo')) stderrTail = (stderrTail + line + '\n').slice(-2000);
      notify();
    })
    .on('close', () => {
      stderrDone = true;
      notify();
    });
  const exited = once(proc, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const abort = () => proc.kill('SIGKILL');
  o.signal?.addEventListener('abort', abort, { once: true });

  try {
    for (;;) {
      // showinfo prints a frame's line before the frame reaches stdout, but stderr may be read later.
      while (!(frames.length && (stamps.length || stderrDone)) && !(stdoutDone && !frames.length)) {
        await new Promise<void>((r) => (wake = r));
      }
      const data = frames.shift();
      if (!data) break;
      if (proc.stdout.isPaused() && frames.length * frameBytes < limit / 2) proc.stdout.resume();
      const stamp = stamps.shift();
      if (!stamp) throw new Error('ffmpeg wrote a frame without timing information');
      yield { ...stamp, width: o.width, height: o.height, data };
    }
    const [code, signal] = await exited;
    if (o.signal?.aborted) throw o.signal.reason;
    if (code !== 0)
      throw new FrameSourceError(`ffmpeg exited with ${code ?? signal}: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    o.signal?.removeEventListener('abort', abort);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

export class FrameSourceError extends Error {}
