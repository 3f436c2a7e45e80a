// diarization as a step on an ingested conversation: two speakers, one per side of the truth CSV,
// stored as results/diarization.json; with a stored active_speaker result each speaker gets the
// face_id of the face that speaks in its segments.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handler-fixtures';
import { diarizationHandler } from './diarization.worker';

afterAll(cleanupDatabase);

type Diarization = {
  speakers: { speaker: string; face_id?: number; total_speech: number }[];
  segments: { start: number; end: number; speaker: string; face_id?: number }[];
};
const conversation = path.join(MEDIA, 'conversation/two-people-still-listener.mp4');
const truth = fs
  .readFileSync(`${conversation}.truth.csv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([, , side, start, end]) => ({ side: side!, start: Number(start), end: Number(end) }));

/** The speaker covering most of [start, end). */
function speakerOf(r: Diarization, start: number, end: number): string | undefined {
  const time = new Map<string, number>();
  for (const s of r.segments)
    time.set(s.speaker, (time.get(s.speaker) ?? 0) + Math.max(0, Math.min(end, s.end) - Math.max(start, s.start)));
  return [...time.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

describe('diarization step', () => {
  it('finds the two speakers of a conversation, one per side, and links them to the speaking faces', async () => {
    const videoId = await ingestFile(conversation);
    const { outcome } = await runHandler(diarizationHandler, videoId, 'analyze:diarization', { min_speakers: 1, max_speakers: 6 });
    expect(outcome.status).toBe('completed');
    const plain = await readResult<Diarization>(videoId, 'diarization');
    expect(plain.speakers).toHaveLength(2);
    const bySide = new Map<string, string>();
    for (const turn of truth) {
      const speaker = speakerOf(plain, turn.start + 0.3, turn.end - 0.3)!;
      expect(bySide.get(turn.side) ?? speaker).toBe(speaker);
      bySide.set(turn.side, speaker);
    }
    expect(new Set(bySide.values()).size).toBe(2);

    // An active_speaker result in which face 1 (left) speaks during the left turns, face 2 during the right ones.
    const { storage, videoKeys } = await import('../../../server/repositories/storage');
    const scores = (face: number) =>
      Array.from({ length: 220 }, (_, i) => {
        const t = i * 0.1;
        const speaking = truth.some((turn) => (turn.side === 'left') === (face === 1) && t >= turn.start && t < turn.end);
        return { timestamp: t, frame_number: Math.round(t * 25), score: speaking ? 0.9 : 0.1, speaking };
      });
    const tracks = [1, 2].map((face_id) => ({ face_id, first_seen: 0, last_seen: 21.9, speaking_fraction: 0.5, scores: scores(face_id) }));
    await storage.write(
      videoKeys.result(videoId, 'active_speaker'),
      JSON.stringify({ model: 'active_speaker', video_fps: 25, total_frames: 550, track_count: 2, tracks }),
    );
    await runHandler(diarizationHandler, videoId, 'analyze:diarization', {});
    const linked = await readResult<Diarization>(videoId, 'diarization');
    expect(linked.speakers.map((s) => s.face_id).sort()).toEqual([1, 2]);
    const left = speakerOf(linked, truth[0]!.start + 0.3, truth[0]!.end - 0.3);
    expect(linked.speakers.find((s) => s.speaker === left)?.face_id).toBe(1);
    expect(linked.segments.every((s) => s.face_id === linked.speakers.find((x) => x.speaker === s.speaker)?.face_id)).toBe(true);
  });
});
