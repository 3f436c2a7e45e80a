// Words into segments: pauses split, speaker changes split, speakers attached only when turns exist.
import { describe, expect, it } from 'vitest';
import { type TimedWord, transcriptSegments } from './transcript-segments';

const w = (word: string, start: number, end: number): TimedWord => ({ word, start, end, confidence: 0.9 });
const words = [
  w('hello', 0, 0.4),
  w('there', 0.45, 0.8),
  w('general', 1.5, 1.9),
  w('kenobi', 1.95, 2.5),
  w('you', 2.6, 2.8),
  w('are', 2.85, 3),
];

describe('transcriptSegments', () => {
  it('splits on pauses of at least 0.6 s by default and joins the words', () => {
    const s = transcriptSegments(words);
    expect(s.map((x) => x.text)).toEqual(['hello there', 'general kenobi you are']);
    expect(s[0]).toMatchObject({ start: 0, end: 0.8 });
    expect(s[1]).toMatchObject({ start: 1.5, end: 3 });
    expect(s[1]!.words).toHaveLength(4);
    expect('speaker' in s[0]!).toBe(false);
    expect(transcriptSegments(words, { minPause: 0.08 }).map((x) => x.text)).toEqual(['hello there', 'general kenobi', 'you are']);
  });

  it('splits where the speaker changes and attaches the speaker with most overlap (or the nearest turn)', () => {
    const turns = [
      { start: 0, end: 2.4, speaker: 'A' },
      { start: 2.55, end: 3.2, speaker: 'B' },
    ];
    const s = transcriptSegments(words, { turns });
    expect(s.map((x) => [x.speaker, x.text])).toEqual([
      ['A', 'hello there'],
      ['A', 'general kenobi'],
      ['B', 'you are'],
    ]);
    const gap = transcriptSegments([w('late', 5, 5.2)], { turns });
    expect(gap[0]!.speaker).toBe('B');
  });

  it('gives nothing for no words', () => {
    expect(transcriptSegments([])).toEqual([]);
  });
});
