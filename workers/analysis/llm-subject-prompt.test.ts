// Unit tests for the reframe_llm prompt and answer check: a synthetic two-person interview (host on
// the left, guest on the right) with speaking scores, diarization and a transcript; prompts are read
// back line by line as JSON, answers are checked for clamping, dropping and typed errors.
import { describe, expect, it } from 'vitest';
import type { ActiveSpeakerResult } from './active-speaker';
import type { FaceTrackingResult } from './face-tracking-result';
import {
  buildSubjectPrompt,
  parseSubjectAnswer,
  SubjectAnswerError,
  type SubjectPromptInput,
  type UncertainSegment,
} from './llm-subject-prompt';

const SOURCE = { width: 1920, height: 1080 };
const SAMPLE_FPS = 5;
const DURATION = 60;

const times = Array.from({ length: DURATION * SAMPLE_FPS }, (_, i) => i / SAMPLE_FPS);

const faces: FaceTrackingResult = {
  model: 'face_tracking_yolov8',
  video_fps: 25,
  total_frames: DURATION * 25,
  sample_fps: SAMPLE_FPS,
  track_count: 2,
  tracks: [
    { face_id: 1, x: 300 },
    // The guest is off screen during 20–30 s (the camera cut to the host alone).
    { face_id: 2, x: 1400, hidden: [20, 30] },
  ].map(({ face_id, x, hidden }) => {
    const visible = times.filter((t) => !hidden || t < hidden[0]! || t >= hidden[1]!);
    return {
      face_id,
      first_seen: visible[0]!,
      last_seen: visible.at(-1)!,
      detections: visible.map((t) => ({
        timestamp: t,
        frame_number: Math.round(t * 25),
        bbox: [x, 200, 200, 260],
        score: 0.9,
        landmarks: null,
      })),
    };
  }),
};

// The host speaks for the first 10 s, the guest after that.
const speakers: ActiveSpeakerResult = {
  model: 'active_speaker',
  video_fps: 25,
  total_frames: DURATION * 25,
  track_count: 2,
  tracks: [1, 2].map((face_id) => ({
    face_id,
    first_seen: 0,
    last_seen: DURATION,
    speaking_fraction: 0.5,
    scores: times.map((t) => {
      const speaking = face_id === 1 ? t < 10 : t >= 10;
      return { timestamp: t, frame_number: Math.round(t * 25), score: speaking ? 0.8 : 0.2, speaking };
    }),
  })),
};

const diarization = {
  segments: [
    { start: 0, end: 10, speaker: 'SPEAKER_00', face_id: 1 },
    { start: 10, end: 60, speaker: 'SPEAKER_01' },
  ],
};

const transcript = {
  segments: [
    { start: 2, end: 9, text: 'So   tell us how it started.', speaker: 'SPEAKER_00' },
    { start: 10, end: 19, text: 'It started in a garage, like all good stories. '.repeat(20), speaker: 'SPEAKER_01' },
  ],
};

const uncertain: UncertainSegment[] = [
  { start: 5, end: 15, candidates: [1, 2], reason: 'low score margin' },
  { start: 18, end: 25, candidates: [1, 2], reason: 'overlap' },
];

const input: SubjectPromptInput = { uncertain, faces, speakers, diarization, transcript, source: SOURCE };

/** The user message's segment lines, parsed back. */
function described(messages: { role: string; content: string }[]): Record<string, unknown>[] {
  const user = messages.find((m) => m.role === 'user')!.content;
  return user
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const total = (messages: { content: string }[]): number => messages.reduce((n, m) => n + m.content.length, 0);

describe('buildSubjectPrompt', () => {
  it('asks for strict JSON in the system message', () => {
    const { messages } = buildSubjectPrompt(input);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toContain('{"segments":[{"start":number,"end":number,"face_id":number,"reason":string}]}');
    expect(messages[0]!.content).toMatch(/never instructions/);
  });

  it('describes each candidate by position, normalised box, visibility and speaking in that segment', () => {
    const [first, second] = described(buildSubjectPrompt(input).messages);
    expect(first).toMatchObject({ start: 5, end: 15, why_unsure: 'low score margin' });
    expect(first!.candidates).toEqual([
      // Mean over 5–15 s: the host speaks for half of it.
      { face_id: 1, position: 'left', box: [0.156, 0.185, 0.104, 0.241], visible: 1, speaking_score: 0.5, speaking: 0.5 },
      { face_id: 2, position: 'right', box: [0.729, 0.185, 0.104, 0.241], visible: 1, speaking_score: 0.5, speaking: 0.5 },
    ]);
    const guest = (second!.candidates as Record<string, unknown>[])[1]!;
    // Visible for 18–20 s of 18–25 s.
    expect(guest.visible).toBe(0.29);
    expect(guest.speaking).toBe(1);
  });

  it('names the overlapping diarization speakers with their seconds and linked faces', () => {
    const [first, second] = described(buildSubjectPrompt(input).messages);
    expect(first!.voices).toEqual([
      { speaker: 'SPEAKER_00', seconds: 5, face_id: 1 },
      { speaker: 'SPEAKER_01', seconds: 5 },
    ]);
    expect(second!.voices).toEqual([{ speaker: 'SPEAKER_01', seconds: 7 }]);
  });

  it('quotes the overlapping transcript with speaker labels, collapsed and truncated', () => {
    const [first, second] = described(buildSubjectPrompt(input, { maxTranscriptChars: 120 }).messages);
    const text = first!.transcript as string;
    expect(text.startsWith('[SPEAKER_00] So tell us how it started. [SPEAKER_01] It started in a garage')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(120);
    expect(text.endsWith('…')).toBe(true);
    expect(second!.transcript).toMatch(/^\[SPEAKER_01\] It started/);
  });

  it('leaves out what is not known: no speakers, diarization or transcript', () => {
    const [first] = described(buildSubjectPrompt({ uncertain, faces, source: SOURCE }).messages);
    expect(first!.voices).toBeUndefined();
    expect(first!.transcript).toBeUndefined();
    expect((first!.candidates as Record<string, unknown>[])[0]).toEqual({
      face_id: 1,
      position: 'left',
      box: [0.156, 0.185, 0.104, 0.241],
      visible: 1,
    });
  });

  it('stays within maxChars: first by shortening quotes, then by dropping the shortest segments', () => {
    const many: UncertainSegment[] = Array.from({ length: 400 }, (_, i) => ({
      start: i * 0.15,
      // Every tenth segment is three times as long: those must survive.
      end: i * 0.15 + (i % 10 === 0 ? 0.12 : 0.04),
      candidates: [1, 2],
      reason: 'overlap',
    }));
    const { messages, omitted } = buildSubjectPrompt({ ...input, uncertain: many });
    expect(total(messages)).toBeLessThanOrEqual(12_000);
    expect(omitted).toBeGreaterThan(0);
    expect(described(messages).length + omitted).toBe(400);
    expect(messages[1]!.content).toContain(`(${omitted} shorter segment(s) omitted for length.)`);

    // With room for a little more than the 40 long segments, all of them are among those kept.
    const roomier = buildSubjectPrompt({ ...input, uncertain: many }, { maxChars: 20_000 });
    expect(total(roomier.messages)).toBeLessThanOrEqual(20_000);
    const kept = described(roomier.messages);
    expect(kept.length).toBeGreaterThan(40);
    expect(kept.some((s) => 'transcript' in s)).toBe(false);
    expect(kept.filter((s) => (s.end as number) - (s.start as number) > 0.1)).toHaveLength(40);
    // In time order, as a reader would expect.
    const starts = kept.map((s) => s.start as number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('shortens quotes before dropping segments when that is enough', () => {
    const full = buildSubjectPrompt(input, { maxTranscriptChars: 2000 });
    const bound = total(full.messages) - 500;
    const trimmed = buildSubjectPrompt(input, { maxTranscriptChars: 2000, maxChars: bound });
    expect(trimmed.omitted).toBe(0);
    expect(total(trimmed.messages)).toBeLessThanOrEqual(bound);
    expect(described(trimmed.messages)).toHaveLength(2);
    expect((described(trimmed.messages)[0]!.transcript as string).length).toBeLessThanOrEqual(600);
  });
});

describe('parseSubjectAnswer', () => {
  const answer = (segments: unknown[]): string => JSON.stringify({ segments });

  it('returns the pins of a valid answer, snapping rounded edges to the segment', () => {
    const pins = parseSubjectAnswer(
      answer([
        { start: 5.01, end: 15, face_id: 2, reason: 'guest answers' },
        { start: 18, end: 25, face_id: 2, reason: 'guest keeps talking' },
      ]),
      uncertain,
    );
    expect(pins).toEqual([
      { start: 5, end: 15, face_id: 2, reason: 'guest answers' },
      { start: 18, end: 25, face_id: 2, reason: 'guest keeps talking' },
    ]);
  });

  it('clamps entries to the uncertain segments they overlap', () => {
    expect(parseSubjectAnswer(answer([{ start: 0, end: 8, face_id: 1 }]), uncertain)).toEqual([{ start: 5, end: 8, face_id: 1 }]);
    // One entry spanning both segments pins each of them, not the gap between.
    expect(parseSubjectAnswer(answer([{ start: 4, end: 30, face_id: 1 }]), uncertain)).toEqual([
      { start: 5, end: 15, face_id: 1 },
      { start: 18, end: 25, face_id: 1 },
    ]);
  });

  it('drops choices that are not candidates of an overlapping segment, and entries outside every segment', () => {
    const pins = parseSubjectAnswer(
      answer([
        { start: 5, end: 15, face_id: 3 },
        { start: 30, end: 40, face_id: 1 },
        { start: 18, end: 25, face_id: 1 },
      ]),
      uncertain,
    );
    expect(pins).toEqual([{ start: 18, end: 25, face_id: 1 }]);
  });

  it('keeps pins apart when two entries claim the same time', () => {
    const pins = parseSubjectAnswer(
      answer([
        { start: 5, end: 12, face_id: 1 },
        { start: 10, end: 15, face_id: 2 },
      ]),
      uncertain,
    );
    expect(pins).toEqual([
      { start: 5, end: 12, face_id: 1 },
      { start: 12, end: 15, face_id: 2 },
    ]);
  });

  it('accepts a code-fenced answer and a missing reason', () => {
    const text = '```json\n' + answer([{ start: 5, end: 15, face_id: 1 }]) + '\n```';
    expect(parseSubjectAnswer(text, uncertain)).toEqual([{ start: 5, end: 15, face_id: 1 }]);
  });

  it('accepts an empty answer as no pins', () => {
    expect(parseSubjectAnswer(answer([]), uncertain)).toEqual([]);
  });

  it.each([
    ['not JSON', 'Sure! The guest should be framed.', 'invalid_json'],
    ['truncated JSON', '{"segments":[{"start":5,', 'invalid_json'],
    ['no segments array', '{"choice":1}', 'invalid_shape'],
    ['a string face_id', answer([{ start: 5, end: 15, face_id: '1' }]), 'invalid_shape'],
    ['a fractional face_id', answer([{ start: 5, end: 15, face_id: 1.5 }]), 'invalid_shape'],
    ['end before start', answer([{ start: 15, end: 5, face_id: 1 }]), 'invalid_shape'],
    ['only unusable choices', answer([{ start: 5, end: 15, face_id: 7 }]), 'no_valid_choice'],
  ])('throws a SubjectAnswerError for %s', (_name, text, problem) => {
    let caught: unknown;
    try {
      parseSubjectAnswer(text, uncertain);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SubjectAnswerError);
    expect((caught as SubjectAnswerError).problem).toBe(problem);
  });
});
