// Parses what `pocketsphinx_continuous -time yes` prints: per utterance a hypothesis line, then one
// `word start end posterior` line per word (times in seconds from the file's start). Fed its stdout;
// returns the spoken words with times and a 0–1 confidence, fillers and silences dropped.
import type { TimedWord } from './transcript-segments';

/** PocketSphinx frames are 10 ms; a word's printed end is the start of its last frame. */
const FRAME = 0.01;
const WORD_LINE = /^(\S+)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i;
/** `<s>`, `</s>`, `<sil>` and the noise dictionary's `[NOISE]`, `[SPEECH]`, `++…++` are not words. */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;

export function pocketsphinxOutput(stdout: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = WORD_LINE.exec(line.trim());
    if (!m || FILLER.test(m[1]!)) continue;
    const start = Number(m[2]);
    words.push({
      // `and(2)` names the dictionary's second pronunciation of `and`.
      word: m[1]!.replace(/\(\d+\)$/, ''),
      start,
      end: Math.round((Math.max(start, Number(m[3])) + FRAME) * 1000) / 1000,
      // The posterior is printed as a probability already; clamp the rounding overshoots.
      confidence: Math.min(1, Math.max(0, Number(m[4]))),
    });
  }
  return words;
}
