// transcription on a real clip: "banana" placed where it is said (about 39.94–40.48 s), segments split
// at the pauses between sentences, speakers from a stored diarization result, and a clip without
// audio completing with no segments.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handler-fixtures';
import { storage, videoKeys } from '../../../server/repositories/storage';
import type { TranscriptionResult } from './transcription.worker';
import { transcriptionHandler } from './transcription.worker';

afterAll(cleanupDatabase);

async function transcribe(videoId: string) {
  const { outcome } = await runHandler(transcriptionHandler, videoId, 'analyze:transcription', {});
  expect(outcome).toEqual({ status: 'completed', resultKey: videoKeys.result(videoId, 'transcription') });
  return readResult<TranscriptionResult>(videoId, 'transcription');
}

describe('transcription', () => {
  it('places the words of timecode-banana where they are said, in segments split at pauses, with speakers when diarized', async () => {
    const videoId = await ingestFile(path.join(MEDIA, 'speech/timecode-banana.mp4'));
    const t0 = performance.now();
    const r = await transcribe(videoId);
    console.log(`timecode-banana (42.4 s): transcribed in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    expect(r).toMatchObject({ model: 'transcription', language: 'en', engine: 'pocketsphinx' });
    const words = r.segments.flatMap((s) => s.words);
    const banana = words.filter((w) => w.word === 'banana').at(-1)!;
    console.log(`last "banana": ${banana.start}–${banana.end} s`);
    expect(Math.abs(banana.start - 40)).toBeLessThanOrEqual(0.5);
    expect(banana.end).toBeGreaterThan(banana.start);
    expect(banana.confidence).toBeGreaterThan(0.5);
    // "hello", the long explanation, "when the time reaches forty seconds…", "banana": pauses between.
    expect(r.segments.length).toBeGreaterThanOrEqual(4);
    expect(r.segments.at(-1)!.text).toBe('banana');
    for (const [a, b] of r.segments.slice(1).map((s, i) => [r.segments[i]!, s] as const))
      expect(b.start - a.end).toBeGreaterThanOrEqual(0.6);
    for (const s of r.segments) {
      expect(s.text).toBe(s.words.map((w) => w.word).join(' '));
      expect('speaker' in s).toBe(false);
    }

    const turns = [
      { start: 0, end: 30, speaker: 'SPEAKER_00' },
      { start: 39.5, end: 41, speaker: 'SPEAKER_01' },
    ];
    await storage.write(videoKeys.result(videoId, 'diarization'), JSON.stringify({ model: 'diarization', segments: turns }));
    const diarized = await transcribe(videoId);
    expect(diarized.segments.at(-1)).toMatchObject({ text: 'banana', speaker: 'SPEAKER_01' });
    expect(diarized.segments[0]!.speaker).toBe('SPEAKER_00');
  });

  it('completes with no segments for a video without audio', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'transcription-')), 'mute.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x64:rate=5',
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    const r = await transcribe(await ingestFile(file));
    expect(r.segments).toEqual([]);
  });
});
