// The PocketSphinx engine on real speech: word error rate over the LibriVox clips held at what was
// measured (pooled, plus 3 points), nothing for a file without audio; and which engine the settings pick.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wer } from '../analysis/wer';
import { pocketsphinxEngine, transcriptionEngine } from './transcription-engines';

const SPEECH = path.resolve(import.meta.dirname, '../../../shared/media/speech');
const LIBRIVOX = ['0870', '0880', '0890', '0920', '0930'];
/** Pooled WER measured with this engine and normalisation: 25 errors over 71 words (the research saw 36.6 %). */
const MEASURED_POOLED_WER = 0.352;

describe('pocketsphinxEngine', () => {
  it('transcribes the LibriVox clips no worse than measured', async () => {
    let errors = 0;
    let words = 0;
    const results = await Promise.all(
      LIBRIVOX.map(async (id) => {
        const t0 = performance.now();
        const t = await pocketsphinxEngine.transcribe(path.join(SPEECH, `librivox-${id}.wav`));
        return { id, t, seconds: (performance.now() - t0) / 1000 };
      }),
    );
    for (const { id, t, seconds } of results) {
      const reference = fs.readFileSync(path.join(SPEECH, `librivox-${id}.txt`), 'utf8');
      const w = wer(reference, t.words.map((x) => x.word).join(' '));
      errors += w.errors;
      words += w.words;
      console.log(`librivox-${id}: WER ${(w.rate * 100).toFixed(1)} % (${w.errors}/${w.words}) in ${seconds.toFixed(2)} s`);
      expect(t.language).toBe('en');
      for (const x of t.words) {
        expect(x.end).toBeGreaterThan(x.start);
        expect(x.confidence).toBeGreaterThanOrEqual(0);
        expect(x.confidence).toBeLessThanOrEqual(1);
        expect(x.word).not.toMatch(/[<[(]/);
      }
    }
    console.log(`pooled WER ${((errors / words) * 100).toFixed(1)} % (${errors}/${words})`);
    expect(errors / words).toBeLessThanOrEqual(MEASURED_POOLED_WER + 0.03);
  });

  it('reports how far into the audio it has got while it runs', async () => {
    // Five clips one after another with a second of silence between them: several utterances.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'transcribe-test-')), 'five.wav');
    const inputs = LIBRIVOX.flatMap((id) => ['-i', path.join(SPEECH, `librivox-${id}.wav`)]);
    const graph =
      LIBRIVOX.map((_, i) => `[${i}:a]apad=pad_dur=1[a${i}]`).join(';') +
      ';' +
      LIBRIVOX.map((_, i) => `[a${i}]`).join('') +
      `concat=n=${LIBRIVOX.length}:v=0:a=1`;
    execFileSync('ffmpeg', ['-v', 'error', ...inputs, '-filter_complex', graph, '-ar', '16000', '-ac', '1', file]);
    const reported: number[] = [];
    const t = await pocketsphinxEngine.transcribe(file, { progress: (f) => reported.push(f) });
    expect(t.words.length).toBeGreaterThan(40);
    expect(reported.length).toBeGreaterThanOrEqual(3);
    expect(reported.every((f, i) => f > 0 && f <= 0.99 && (i === 0 || f >= reported[i - 1]!))).toBe(true);
    expect(reported[0]!).toBeLessThan(0.5);
    expect(reported.at(-1)!).toBeGreaterThan(0.8);
  });

  it('gives no words for a file without audio', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'transcribe-test-')), 'mute.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-t', '1', '-c:v', 'libx264', file]);
    expect(await pocketsphinxEngine.transcribe(file)).toEqual({ language: 'en', words: [] });
  });
});

describe('transcriptionEngine', () => {
  it('uses whisper.cpp only when both its binary and model are configured', () => {
    expect(transcriptionEngine({}).name).toBe('pocketsphinx');
    expect(transcriptionEngine({ WHISPER_CPP_BIN: '/opt/whisper-cli' }).name).toBe('pocketsphinx');
    expect(transcriptionEngine({ WHISPER_CPP_BIN: '', WHISPER_MODEL: '/m.bin' }).name).toBe('pocketsphinx');
    expect(transcriptionEngine({ WHISPER_CPP_BIN: '/opt/whisper-cli', WHISPER_MODEL: '/m.bin' }).name).toBe('whisper.cpp');
  });

  it('reports a whisper.cpp binary that cannot run as an error', async () => {
    const engine = transcriptionEngine({ WHISPER_CPP_BIN: '/nonexistent/whisper-cli', WHISPER_MODEL: '/m.bin' });
    await expect(engine.transcribe(path.join(SPEECH, 'librivox-0880.wav'))).rejects.toThrow(/ENOENT/);
  });
});
