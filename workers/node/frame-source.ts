// The server's frame source: runs ffmpeg to decode a video to packed RGB24 frames at the analysis
// size and rate, and yields them one at a time with their decoded frame number and presentation
// time. Memory is bounded: async iteration reads stdout only as fast as the consumer takes frames,
// and ffmpeg blocks on the full pipe meanwhile. Stops ffmpeg when the consumer stops or `signal` fires.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { frameDecodeArgs, FrameStamper, type FrameDecodeOptions, type FrameStamp } from '../analysis/frame-decoding';

export interface RgbFrame extends FrameStamp {
  width: number;
  height: number;
  /** Packed RGB24, width*height*3 bytes. Valid until the next frame is requested. */
  data: Uint8Array;
}

export interface FrameSourceOptions extends FrameDecodeOptions {
  signal?: AbortSignal;
  timeOffset?: number;
  ffmpeg?: string;
}

export async function* decodeFrames(o: FrameSourceOptions): AsyncGenerator<RgbFrame> {
  const proc = spawn(o.ffmpeg ?? 'ffmpeg', frameDecodeArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  const stamper = new FrameStamper(o.sampleFps !== undefined, o.timeOffset ?? 0);
  const stamps: FrameStamp[] = [];
  let stampWaiter: (() => void) | null = null;
  let stderrTail = '';
  let stderrDone = false;
  createInterface({ input: proc.stderr })
    .on('line', (line) => {
      const stamp = stamper.push(line);
      if (stamp) stamps.push(stamp);
      else if (!line.includes('Parsed_showinfo')) stderrTail = (stderrTail + line + '\n').slice(-2000);
      stampWaiter?.();
    })
    .on('close', () => {
      stderrDone = true;
      stampWaiter?.();
    });
  const exited = once(proc, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const abort = () => proc.kill('SIGKILL');
  o.signal?.addEventListener('abort', abort, { once: true });

  const frameBytes = o.width * o.height * 3;
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < frameBytes) continue;
        filled = 0;
        // showinfo prints a frame's line before the frame reaches stdout; stderr may simply be behind.
        while (!stamps.length && !stderrDone) await new Promise<void>((r) => (stampWaiter = r));
        stampWaiter = null;
        const stamp = stamps.shift();
        if (!stamp) throw new Error('ffmpeg wrote a frame without timing information');
        yield { ...stamp, width: o.width, height: o.height, data: frame };
      }
    }
    const [code, signal] = await exited;
    if (o.signal?.aborted) throw o.signal.reason;
    if (code !== 0) throw new FrameSourceError(`ffmpeg exited with ${code ?? signal}: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    o.signal?.removeEventListener('abort', abort);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

export class FrameSourceError extends Error {}
