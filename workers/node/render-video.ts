// The renderer: runs the one-pass ffmpeg render of a reframe path (arguments from analysis/render-args)
// into a temporary file beside `output`, renamed into place only when ffmpeg succeeds, so no partial
// file is ever visible. Fed by the source file, its path and probe facts; reports progress 0–1.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cropCommands, renderArgs } from '../analysis/render-args';
import type { ReframePath } from '../analysis/reframe-path';

export interface RenderVideoOptions {
  input: string;
  output: string;
  path: ReframePath;
  hasAudio: boolean;
  /** The source's frame rate; the output has exactly this constant rate. */
  fps: number;
  /** x264 quality and speed; defaults from the render benchmark. */
  crf?: number;
  preset?: string;
  /** Seconds subtracted from container times (MPEG-TS). */
  timeOffset?: number;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
  ffmpeg?: string;
}

export const DEFAULT_CRF = 23;
export const DEFAULT_PRESET = 'veryfast';

export class RenderError extends Error {
  constructor(
    message: string,
    /** ffmpeg's last stderr lines. */
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export async function renderVideo(o: RenderVideoOptions): Promise<void> {
  o.signal?.throwIfAborted();
  const work = await mkdtemp(path.join(os.tmpdir(), 'render-'));
  const commandsFile = path.join(work, 'crop.cmd');
  const partial = path.join(path.dirname(o.output), `.${path.basename(o.output)}.${randomUUID().slice(0, 8)}.partial`);
  const span = o.path.end - o.path.start;
  try {
    await writeFile(commandsFile, cropCommands(o.path, { fps: o.fps, timeOffset: o.timeOffset }));
    const args = renderArgs({
      input: o.input,
      output: partial,
      path: o.path,
      commandsFile,
      fps: o.fps,
      hasAudio: o.hasAudio,
      crf: o.crf ?? DEFAULT_CRF,
      preset: o.preset ?? DEFAULT_PRESET,
      timeOffset: o.timeOffset,
    });
    o.signal?.throwIfAborted();
    const proc = spawn(o.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(proc, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    const abort = () => proc.kill('SIGKILL');
    o.signal?.addEventListener('abort', abort, { once: true });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let reported = -1;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      // `-progress` blocks end with `progress=end`; `out_time_us` is N/A before the first frame.
      const us = /^out_time_us=(\d+)$/.exec(line);
      const fraction = line === 'progress=end' ? 1 : us ? Math.min(1, Number(us[1]) / 1e6 / span) : -1;
      if (fraction > reported) {
        reported = fraction;
        o.progress?.(fraction);
      }
    });
    try {
      const [code, signal] = await exited;
      o.signal?.throwIfAborted();
      if (code !== 0) {
        const tail = stderr.trim().split('\n').slice(-5);
        throw new RenderError(`ffmpeg exited with ${code ?? signal}: ${tail.slice(-3).join(' | ')}`, tail.join('\n'));
      }
    } finally {
      o.signal?.removeEventListener('abort', abort);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    await rename(partial, o.output);
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}
