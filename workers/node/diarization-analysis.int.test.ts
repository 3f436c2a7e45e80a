// Diarization on real audio: the two-speaker clip against its RTTM, and the two-person conversations
// against their truth turns (speaker ↔ side), DER with a ±0.25 s collar and overlap scored; the
// speaker count is found automatically; runs are deterministic. Speed is printed here and checked by `npm run bench`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diarizationErrorRate } from '../analysis/der';
import { parseRttm } from '../analysis/rttm';
import { analyzeDiarization } from './diarization-analysis';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');

function truthTurns(file: string) {
  const [, ...rows] = fs.readFileSync(`${file}.truth.csv`, 'utf8').trim().split('\n');
  return rows.map((line) => {
    const [, , side, start, end] = line.split(',');
    return { start: Number(start), end: Number(end), speaker: side! };
  });
}

async function timed(file: string, seconds: number) {
  const t = performance.now();
  const result = await analyzeDiarization(file);
  const elapsed = (performance.now() - t) / 1000;
  return { result, speed: seconds / elapsed };
}

describe('analyzeDiarization', () => {
  it('diarizes two-speakers.wav within 20 % DER, counting the speakers itself', async () => {
    const file = path.join(MEDIA, 'diarization/two-speakers.wav');
    const reference = parseRttm(fs.readFileSync(path.join(MEDIA, 'diarization/two-speakers.rttm'), 'utf8'));
    const { result, speed } = await timed(file, 30);
    const der = diarizationErrorRate(reference, result.segments, { collar: 0.25 });
    console.log(
      `two-speakers.wav: ${result.speakers.length} speakers, DER ${(der.der * 100).toFixed(1)} % (miss ${der.missed.toFixed(2)} s, false alarm ${der.falseAlarm.toFixed(2)} s, confusion ${der.confusion.toFixed(2)} s), ${speed.toFixed(1)}× real time`,
    );
    expect(result.model).toBe('diarization');
    expect(result.speakers.map((s) => s.speaker)).toEqual(['S1', 'S2']);
    expect(der.der).toBeLessThanOrEqual(0.2);
    // About 25× on 2 cores; the bound leaves room for a loaded test machine.
    const total = result.speakers.reduce((t, s) => t + s.total_speech, 0);
    expect(total).toBeCloseTo(
      result.segments.reduce((t, s) => t + s.end - s.start, 0),
      2,
    );
  });

  it.each(['still', 'muted'])('finds the two people of two-people-%s-listener and their turns', async (kind) => {
    const file = path.join(MEDIA, `conversation/two-people-${kind}-listener.mp4`);
    const truth = truthTurns(file);
    const { result, speed } = await timed(file, truth.at(-1)!.end);
    const der = diarizationErrorRate(truth, result.segments, { collar: 0.25 });
    console.log(
      `two-people-${kind}-listener: ${result.speakers.length} speakers, DER ${(der.der * 100).toFixed(1)} %, ${speed.toFixed(1)}× real time`,
    );
    expect(result.speakers).toHaveLength(2);
    expect(der.der).toBeLessThanOrEqual(0.2);
    // One speaker per side: the mapping pairs each side with a different speaker.
    expect(new Set(der.mapping.values()).size).toBe(2);
    // Each truth turn is mostly given to its side's speaker.
    for (const turn of truth) {
      const mine = result.segments
        .filter((s) => s.speaker === der.mapping.get(turn.speaker))
        .reduce((t, s) => t + Math.max(0, Math.min(s.end, turn.end) - Math.max(s.start, turn.start)), 0);
      expect(mine / (turn.end - turn.start)).toBeGreaterThan(0.7);
    }
  });

  // Longer than the clips the count was first tuned on: the count must not grow with the length.
  it.each([
    ['two', ['talking-head-1', 'talking-head-5'], 8],
    ['three', ['talking-head-1', 'talking-head-2', 'talking-head-4'], 12],
  ] as const)('counts the %s voices of a 45–70 s conversation of talking heads taking turns', async (_, heads, turns) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diarization-'));
    try {
      const truth: { start: number; end: number; speaker: string }[] = [];
      const list: string[] = [];
      for (const head of heads) {
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-i',
          path.join(MEDIA, `talking/${head}.mp4`),
          '-vn',
          '-ac',
          '1',
          '-ar',
          '16000',
          path.join(dir, `${head}.wav`),
        ]);
      }
      for (let i = 0; i < turns; i++) {
        const head = heads[i % heads.length]!;
        const wav = path.join(dir, `${head}.wav`);
        const seconds = (fs.statSync(wav).size - 44) / 32000;
        const start = truth.at(-1)?.end ?? 0;
        truth.push({ start, end: start + seconds, speaker: head });
        list.push(`file '${wav}'`);
      }
      fs.writeFileSync(path.join(dir, 'list.txt'), list.join('\n'));
      const file = path.join(dir, 'conversation.wav');
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', path.join(dir, 'list.txt'), '-c', 'copy', file]);
      const { result, speed } = await timed(file, truth.at(-1)!.end);
      const der = diarizationErrorRate(truth, result.segments, { collar: 0.25 });
      console.log(
        `${heads.join(' + ')} × ${turns} turns: ${result.speakers.length} speakers, DER ${(der.der * 100).toFixed(1)} %, ${speed.toFixed(1)}× real time`,
      );
      expect(result.speakers).toHaveLength(heads.length);
      expect(der.der).toBeLessThanOrEqual(0.1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same result twice', async () => {
    const file = path.join(MEDIA, 'conversation/two-people-muted-listener.mp4');
    expect(await analyzeDiarization(file)).toEqual(await analyzeDiarization(file));
  });
});
