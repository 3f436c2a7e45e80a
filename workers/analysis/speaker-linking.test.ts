// Linking audio speakers to faces with a hand-made active-speaker result: speaking intervals from
// sampled scores, the count of faces that speak, face ids per speaker, and a clustering mistake
// corrected where one face clearly speaks throughout a segment.
import { describe, expect, it } from 'vitest';
import { countSpeakingFaces, linkSpeakers, speakingIntervals, type ActiveSpeakerResult } from './speaker-linking';

/** Face tracks sampled every 0.1 s over 0–20 s, speaking inside the given intervals. */
function activeSpeaker(speaking: Record<number, [number, number][]>): ActiveSpeakerResult {
  return {
    tracks: Object.entries(speaking).map(([id, intervals]) => ({
      face_id: Number(id),
      scores: Array.from({ length: 200 }, (_, i) => {
        const timestamp = Math.round(i * 10) / 100;
        const on = intervals.some(([a, b]) => timestamp >= a && timestamp < b);
        return { timestamp, score: on ? 0.9 : 0.1, speaking: on };
      }),
    })),
  };
}

// Face 7 speaks 0–5 and 10–15, face 3 speaks 5–10 and 15–20; face 9 is a silent listener.
const truth = activeSpeaker({
  7: [
    [0, 5],
    [10, 15],
  ],
  3: [
    [5, 10],
    [15, 20],
  ],
  9: [],
});

describe('speakingIntervals / countSpeakingFaces', () => {
  it('merges consecutive speaking samples and counts only faces that speak', () => {
    const iv = speakingIntervals(truth);
    expect(iv.get(7)).toHaveLength(2);
    expect(iv.get(7)![0]![0]).toBeCloseTo(0, 6);
    expect(iv.get(7)![0]![1]).toBeCloseTo(4.95, 6);
    expect(iv.get(9)).toEqual([]);
    expect(countSpeakingFaces(truth)).toBe(2);
    expect(countSpeakingFaces(activeSpeaker({ 1: [[0, 0.5]], 2: [[2, 6]] }))).toBe(1);
  });
});

describe('linkSpeakers', () => {
  it('names the face of every speaker', () => {
    const segments = [
      { start: 0, end: 5, speaker: 'S1' },
      { start: 5, end: 10, speaker: 'S2' },
      { start: 10, end: 15, speaker: 'S1' },
      { start: 15, end: 20, speaker: 'S2' },
    ];
    expect(linkSpeakers(segments, truth).map((s) => s.face_id)).toEqual([7, 3, 7, 3]);
  });

  it('gives a segment to the speaker of the face that clearly speaks throughout it', () => {
    // The audio put 10–15 with S2 (and split S2's turn at 15); face 7 speaks all of it.
    const segments = [
      { start: 0, end: 5, speaker: 'S1' },
      { start: 5, end: 10, speaker: 'S2' },
      { start: 10, end: 15, speaker: 'S2' },
      { start: 15, end: 20, speaker: 'S2' },
    ];
    expect(linkSpeakers(segments, truth)).toEqual([
      { start: 0, end: 5, speaker: 'S1', face_id: 7 },
      { start: 5, end: 10, speaker: 'S2', face_id: 3 },
      { start: 10, end: 15, speaker: 'S1', face_id: 7 },
      { start: 15, end: 20, speaker: 'S2', face_id: 3 },
    ]);
  });

  it('merges an over-split speaker into the one its face belongs to', () => {
    const segments = [
      { start: 0, end: 5, speaker: 'S1' },
      { start: 5, end: 10, speaker: 'S2' },
      { start: 10, end: 15, speaker: 'S3' },
      { start: 15, end: 20, speaker: 'S2' },
    ];
    const linked = linkSpeakers(segments, truth);
    expect(new Set(linked.map((s) => s.speaker))).toEqual(new Set(['S1', 'S2']));
    expect(linked[2]).toEqual({ start: 10, end: 15, speaker: 'S1', face_id: 7 });
  });

  it('leaves segments alone when no face clearly speaks (off-screen voice, overlap)', () => {
    const segments = [
      { start: 0, end: 5, speaker: 'S1' },
      { start: 5, end: 10, speaker: 'S2' },
    ];
    const both = activeSpeaker({ 1: [[0, 10]], 2: [[0, 10]] });
    expect(linkSpeakers(segments, both).map((s) => s.speaker)).toEqual(['S1', 'S2']);
    expect(linkSpeakers(segments, { tracks: [] })).toEqual(segments);
  });
});
