// Test clips generated with ffmpeg (cached per process in a temp folder).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-media-'));

/** A small H.264/AAC MP4: `seconds` long, 320×240 at 25 fps unless told otherwise. */
export function makeClip(name: string, seconds: number, opts: { size?: string; rate?: number; faststart?: boolean } = {}): string {
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${opts.size ?? '320x240'}:rate=${opts.rate ?? 25}`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440',
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    ...(opts.faststart ? ['-movflags', '+faststart'] : []),
    file,
  ]);
  return file;
}

export function writeFile(name: string, data: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}
