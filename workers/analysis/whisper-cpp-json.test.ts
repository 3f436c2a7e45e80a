// whisper.cpp full JSON: tokens merged into words with times in seconds, control tokens dropped.
import { describe, expect, it } from 'vitest';
import { whisperCppJson } from './whisper-cpp-json';

const t = (text: string, from: number, to: number, p: number) => ({
  text,
  timestamps: { from: '', to: '' },
  offsets: { from, to },
  id: 0,
  p,
  t_dtw: -1,
});

// The shape whisper-cli -ojf writes (whisper.cpp v1.7), values abridged from a jfk.wav run.
const SAMPLE = JSON.stringify({
  systeminfo: 'AVX = 1 | ...',
  model: { type: 'base', multilingual: false, vocab: 51864 },
  params: { model: 'models/ggml-base.en.bin', language: 'en', translate: false },
  result: { language: 'en' },
  transcription: [
    {
      timestamps: { from: '00:00:00,000', to: '00:00:03,000' },
      offsets: { from: 0, to: 3000 },
      text: ' And so my fellow Americans,',
      tokens: [
        t('[_BEG_]', 0, 0, 0.9),
        t(' And', 320, 480, 0.8),
        t(' so', 480, 700, 0.9),
        t(' my', 900, 1100, 0.95),
        t(' fellow', 1100, 1500, 0.99),
        t(' Amer', 1500, 1900, 0.7),
        t('icans', 1900, 2400, 0.9),
        t(',', 2400, 2400, 0.6),
        t('[_TT_150]', 3000, 3000, 0.2),
      ],
    },
    {
      timestamps: { from: '00:00:03,000', to: '00:00:05,000' },
      offsets: { from: 3000, to: 5000 },
      text: ' ask not',
      tokens: [t('[_BEG_]', 3000, 3000, 1), t(' ask', 3100, 3500, 0.9), t(' not', 3600, 4000, 0.8), t('<|endoftext|>', 5000, 5000, 1)],
    },
  ],
});

describe('whisperCppJson', () => {
  it('merges sub-word tokens into words with times in seconds and mean probability', () => {
    const r = whisperCppJson(SAMPLE);
    expect(r.language).toBe('en');
    expect(r.words.map((w) => w.word)).toEqual(['And', 'so', 'my', 'fellow', 'Americans,', 'ask', 'not']);
    expect(r.words[0]).toEqual({ word: 'And', start: 0.32, end: 0.48, confidence: 0.8 });
    const americans = r.words[4]!;
    expect(americans.start).toBe(1.5);
    expect(americans.end).toBe(2.4);
    expect(americans.confidence).toBeCloseTo((0.7 + 0.9 + 0.6) / 3, 6);
    expect(r.words[6]).toMatchObject({ start: 3.6, end: 4 });
  });

  it('falls back to segment times without token offsets, and reads an empty transcription', () => {
    const noOffsets = JSON.stringify({
      result: { language: 'de' },
      transcription: [{ offsets: { from: 1000, to: 2000 }, text: ' Hallo', tokens: [{ text: ' Hallo', p: 0.5 }] }],
    });
    expect(whisperCppJson(noOffsets)).toEqual({ language: 'de', words: [{ word: 'Hallo', start: 1, end: 2, confidence: 0.5 }] });
    expect(whisperCppJson(JSON.stringify({ result: { language: 'en' }, transcription: [] }))).toEqual({ language: 'en', words: [] });
  });
});
