// The export's pure checks: the range limits with their messages, the path narrowed to the range at
// the requested size, and the `-progress` lines read as fractions.
import { describe, expect, it } from 'vitest';
import type { ReframePath } from '../analysis/reframe-path';
import { clipPath, exportSizes, MAX_EXPORT_SECONDS, progressFraction } from './ffmpeg-export-plan';

const window = { y: 0, w: 406, h: 720, subject: null };
const path: ReframePath = {
  version: 1,
  source: { width: 1280, height: 720 },
  output: { width: 1080, height: 1920 },
  aspect_ratio: '9:16',
  start: 0,
  end: 90,
  scenes: [
    { start: 0, end: 10, layout: 'single', keyframes: [{ t: 0, x: 0, ...window }] },
    { start: 10, end: 50, layout: 'single', keyframes: [{ t: 10, x: 400, ...window }] },
    { start: 50, end: 90, layout: 'single', keyframes: [{ t: 50, x: 800, ...window }] },
  ],
};

describe('clipPath', () => {
  it('keeps the scenes the range touches, with the range as the span and the requested size', () => {
    const clip = clipPath(path, { start: 12, end: 55, output: { width: 540, height: 960 } });
    expect(clip).toMatchObject({ start: 12, end: 55, output: { width: 540, height: 960 }, source: path.source });
    expect(clip.scenes.map((s) => s.start)).toEqual([10, 50]);
    expect(clipPath(path, { start: 0, end: 10 }).scenes.map((s) => s.start)).toEqual([0]);
    expect(clipPath(path, { start: 0, end: 10 }).output).toEqual(path.output);
  });

  it(`refuses empty ranges, ranges over ${MAX_EXPORT_SECONDS} s, ranges outside the analysed span and odd sizes`, () => {
    expect(() => clipPath(path, { start: 5, end: 5 })).toThrow('the clip must end after it starts (5–5 s)');
    expect(() => clipPath(path, { start: 0, end: 60.5 })).toThrow('a preview export is at most 60 s (asked for 60.5 s)');
    expect(clipPath(path, { start: 0, end: 60 }).end).toBe(60);
    expect(() => clipPath({ ...path, end: 20 }, { start: 10, end: 25 })).toThrow('the clip 10–25 s is outside the analysed 0–20 s');
    expect(() => clipPath(path, { start: 0, end: 5, output: { width: 541, height: 960 } })).toThrow('even numbers of pixels');
    expect(() => clipPath(path, { start: Number.NaN, end: 5 })).toThrow(RangeError);
  });
});

describe('progressFraction', () => {
  it('reads out_time_us over the span, clamps it, and treats progress=end as done', () => {
    expect(progressFraction('out_time_us=2000000', 4)).toBe(0.5);
    expect(progressFraction('out_time_us=9000000', 4)).toBe(1);
    expect(progressFraction('progress=end', 4)).toBe(1);
    expect(progressFraction('out_time_us=N/A', 4)).toBeNull();
    expect(progressFraction('frame=12', 4)).toBeNull();
  });
});

describe('exportSizes', () => {
  it('offers the path size, then smaller ones of the same aspect with even widths', () => {
    expect(exportSizes({ width: 1080, height: 1920 })).toEqual([
      { width: 1080, height: 1920 },
      { width: 720, height: 1280 },
      { width: 540, height: 960 },
      { width: 360, height: 640 },
    ]);
    expect(exportSizes({ width: 1080, height: 1080 }).map((s) => `${s.width}×${s.height}`)).toEqual(['1080×1080', '960×960', '640×640']);
    expect(exportSizes({ width: 608, height: 1080 })).toContainEqual({ width: 540, height: 960 });
  });
});
