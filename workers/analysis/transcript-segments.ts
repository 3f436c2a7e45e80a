// Groups a transcript's timed words into segments: a new segment after a pause and, when speaker
// turns from diarization are given, wherever the speaker changes. Fed words in time order (any
// engine) and optional turns; returns segments with their text, times, words and speaker.

export interface TimedWord {
  word: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
  /** 0–1. */
  confidence: number;
}

export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: string | number;
}

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
  speaker?: string | number;
  words: TimedWord[];
}

export interface TranscriptSegmentOptions {
  /** Seconds of silence between two words that end a segment (default 0.6). */
  minPause?: number;
  /** Diarization turns; segments then also split where the speaker changes. */
  turns?: readonly SpeakerTurn[];
}

export function transcriptSegments(words: readonly TimedWord[], o: TranscriptSegmentOptions = {}): TranscriptSegment[] {
  const minPause = o.minPause ?? 0.6;
  const turns = o.turns ?? [];
  const segments: TranscriptSegment[] = [];
  let current: TranscriptSegment | undefined;
  for (const w of words) {
    const speaker = turns.length ? speakerOf(w, turns) : undefined;
    if (!current || w.start - current.end >= minPause || speaker !== current.speaker) {
      current = { start: w.start, end: w.end, text: '', ...(speaker === undefined ? {} : { speaker }), words: [] };
      segments.push(current);
    }
    current.words.push(w);
    current.end = Math.max(current.end, w.end);
  }
  for (const s of segments) s.text = s.words.map((w) => w.word).join(' ');
  return segments;
}

/**
 * The turn overlapping the word most; a word in a gap between turns (diarization trims pauses
 * that a recogniser may stretch a word into) takes the nearest turn.
 */
function speakerOf(w: TimedWord, turns: readonly SpeakerTurn[]): string | number | undefined {
  let best: SpeakerTurn | undefined;
  let bestScore = -Infinity;
  for (const t of turns) {
    const overlap = Math.min(w.end, t.end) - Math.max(w.start, t.start);
    if (overlap > bestScore) {
      best = t;
      bestScore = overlap;
    }
  }
  return best?.speaker;
}
