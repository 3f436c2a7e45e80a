// Silero VAD on real audio: speech found where people speak, silence where there is none.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { speechRegions, VAD_HOP } from '../analysis/silero-vad';
import { vadProbabilities } from './vad';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');

describe('vadProbabilities', () => {
  it('finds the speech of a read sentence and nothing in silence', async () => {
    const p = await vadProbabilities(path.join(MEDIA, 'speech/jfk.wav'));
    expect(p.length).toBeCloseTo(11 / VAD_HOP, -1);
    const regions = speechRegions(p);
    const speech = regions.reduce((s, r) => s + r.end - r.start, 0);
    expect(speech).toBeGreaterThan(6);
    const silent = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vad-')), 'silence.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '3', silent]);
    expect(Math.max(...(await vadProbabilities(silent)))).toBeLessThan(0.3);
  });

  it('gives nothing for a file without audio', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vad-')), 'mute.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-t', '1', '-c:v', 'libx264', file]);
    expect((await vadProbabilities(file)).length).toBe(0);
  });
});
