// The face mesh's frame source: runs ffmpeg to decode a video to planar YUV 4:2:0 frames at the
// analysis size and rate (see yuv-frame-decoding.ts for why not RGB), and yields them one at a time
// with their decoded frame number and presentation time. Reading, read-ahead and stopping work as in
// the RGB frame source (frame-source.ts), whose stamps it shares.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { FrameStamper, type FrameStamp } from '../analysis/frame-decoding';
import { yuv420FrameBytes, yuvDecodeArgs, type YuvDecodeOptions } from '../analysis/yuv-frame-decoding';
import { FrameSourceError } from './frame-source';

export interface YuvFrame extends FrameStamp {
  width: number;
  height: number;
  /** Planar yuv420p: the Y plane, then U and V at half width and height. */
  data: Uint8Array;
}

export interface YuvFrameSourceOptions extends YuvDecodeOptions {
  signal?: AbortSignal;
  timeOffset?: number;
  ffmpeg?: string;
  /** Decoded bytes held ahead of the consumer (at least two frames). Default 16 MiB. */
  readAheadBytes?: number;
}

export async function* decodeYuvFrames(o: YuvFrameSourceOptions): AsyncGenerator<YuvFrame> {
  const proc = spawn(o.ffmpeg ?? 'ffmpeg', yuvDecodeArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  const frameBytes = yuv420FrameBytes(o.width, o.height);
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
