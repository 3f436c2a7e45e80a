// The crop path editor's pure edits: interpolation, moving a keyframe inside the frame, adding a
// keyframe at the playhead, and pinning a face for a span.
import { describe, expect, it } from 'vitest';
import { addKeyframe, moveKeyframe, pinSubject, windowAt, type CropPath } from './crop-path-edit';

const path = (): CropPath => ({
  version: 1,
  source: { width: 1280, height: 720 },
  output: { width: 406, height: 720 },
  aspect_ratio: '9:16',
  start: 0,
  end: 4,
  scenes: [
    {
      start: 0,
      end: 4,
      layout: 'single',
      keyframes: [
        { t: 0, x: 100, y: 0, w: 405, h: 720, subject: 0 },
        { t: 4, x: 500, y: 0, w: 405, h: 720, subject: 0 },
      ],
    },
  ],
});

describe('crop path edits', () => {
  it('moves the window linearly between keyframes', () => {
    const s = path().scenes[0]!;
    if (s.layout !== 'single') throw new Error('single');
    expect(windowAt(s.keyframes, 2).x).toBe(300);
    expect(windowAt(s.keyframes, 9).x).toBe(500);
  });

  it('keeps a dragged window inside the frame and drops its subject', () => {
    const moved = moveKeyframe(path(), 0, 1, 10_000, 50);
    const kf = (moved.scenes[0] as { keyframes: { x: number; y: number; subject: number | null }[] }).keyframes[1]!;
    expect(kf).toMatchObject({ x: 1280 - 405, y: 0, subject: null });
  });

  it('adds a keyframe at the playhead where the window is, in time order', () => {
    const { path: next, index } = addKeyframe(path(), 1);
    const kfs = (next.scenes[0] as { keyframes: { t: number; x: number }[] }).keyframes;
    expect(index).toBe(1);
    expect(kfs.map((k) => k.t)).toEqual([0, 1, 4]);
    expect(kfs[1]!.x).toBe(200);
  });

  it('pins a face for a span: windows centred on it, the same size, outside the span untouched', () => {
    const detections = [0, 0.5, 1, 1.5, 2].map((timestamp) => ({
      timestamp,
      bbox: [1000, 100, 100, 100] as [number, number, number, number],
    }));
    const pinned = pinSubject(path(), 3, detections, 0, 2);
    const kfs = (pinned.scenes[0] as { keyframes: { t: number; x: number; w: number; subject: number | null }[] }).keyframes;
    expect(kfs.filter((k) => k.t <= 2).every((k) => k.subject === 3 && k.w === 405 && k.x === 848)).toBe(true);
    expect(kfs.at(-1)).toMatchObject({ t: 4, x: 500 });
  });
});
