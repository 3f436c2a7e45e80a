// Parses whisper.cpp's full JSON output (`-ojf`): segments of sub-word tokens with millisecond
// offsets and probabilities. Fed the file's text; returns the detected language and timed words,
// tokens merged into words (a token starting with a space starts a word) and special tokens dropped.
import type { TimedWord } from './transcript-segments';

interface WhisperSpan {
  from: number;
  to: number;
}

interface WhisperToken {
  text: string;
  /** Absent when whisper.cpp computed no token timestamps. */
  offsets?: WhisperSpan;
  p?: number;
}

interface WhisperJson {
  params?: { language?: string };
  result?: { language?: string };
  transcription?: { offsets: WhisperSpan; text: string; tokens?: WhisperToken[] }[];
}

export interface WhisperTranscript {
  language: string;
  words: TimedWord[];
}

/** `[_BEG_]`, `[_TT_150]`, `[_SOT_]`, `<|endoftext|>`: control tokens, not text. */
const SPECIAL = /^(\[_.*\]|<\|.*\|>)$/;

export function whisperCppJson(text: string): WhisperTranscript {
  const json = JSON.parse(text) as WhisperJson;
  const words: TimedWord[] = [];
  let current: { word: string; start: number; end: number; p: number[] } | undefined;
  const finish = () => {
    const word = current?.word.trim();
    if (current && word) {
      // The mean token probability: a word is as sure as its pieces on average.
      const confidence = current.p.length ? current.p.reduce((a, b) => a + b, 0) / current.p.length : 0;
      words.push({ word, start: current.start / 1000, end: current.end / 1000, confidence });
    }
    current = undefined;
  };
  for (const segment of json.transcription ?? []) {
    for (const token of segment.tokens ?? []) {
      if (SPECIAL.test(token.text.trim()) || !token.text) continue;
      const span = token.offsets ?? segment.offsets;
      if (!current || token.text.startsWith(' ')) {
        finish();
        current = { word: '', start: span.from, end: span.to, p: [] };
      }
      current.word += token.text;
      current.end = Math.max(current.end, span.to);
      if (token.p !== undefined) current.p.push(token.p);
    }
    // A segment never ends inside a word.
    finish();
  }
  return { language: json.result?.language ?? json.params?.language ?? 'en', words };
}
