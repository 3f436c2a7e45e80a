// Unit tests for the crop path format's helpers: aspect parsing, the interpolation rule (linear between
// keyframes, held at the ends, a repeated time is a hard cut), crop and output sizes, the scene at a time.
// Fed hand-made keyframes and sizes; returns nothing (vitest assertions).
import { describe, expect, it } from 'vitest';
import {
  cropSize,
  lerpWindow,
  outputSize,
  parseAspectRatio,
  sceneAt,
  windowAt,
  type ReframePath,
  type SingleKeyframe,
} from './reframe-path';

const kf = (t: number, x: number, subject: number | null = 1): SingleKeyframe => ({ t, x, y: 0, w: 608, h: 1080, subject });

describe('parseAspectRatio', () => {
  it.each([
    ['9:16', { w: 9, h: 16 }],
    ['1:1', { w: 1, h: 1 }],
    [' 4/5 ', { w: 4, h: 5 }],
    ['16x9', { w: 16, h: 9 }],
    ['1.91:1', { w: 1.91, h: 1 }],
  ])('%s', (value, expected) => expect(parseAspectRatio(value)).toEqual(expected));

  it.each(['', 'tall', '0:16', '9:0', '-9:16', '1:20', '9:16:1'])('rejects %j', (value) => expect(parseAspectRatio(value)).toBeNull());
});

describe('windowAt', () => {
  const keyframes = [kf(0, 100), kf(2, 300), kf(4, 300, 1), kf(4, 900, 2)];

  it('holds before the first and after the last keyframe', () => {
    expect(windowAt(keyframes, -1, lerpWindow).x).toBe(100);
    expect(windowAt(keyframes, 10, lerpWindow)).toEqual(kf(4, 900, 2));
  });

  it('interpolates linearly between keyframes', () => {
    expect(windowAt(keyframes, 1, lerpWindow).x).toBe(200);
    expect(windowAt(keyframes, 3, lerpWindow).x).toBe(300);
  });

  it('cuts where two keyframes share a time: the later applies from then on', () => {
    expect(windowAt(keyframes, 3.999, lerpWindow).x).toBe(300);
    expect(windowAt(keyframes, 4, lerpWindow)).toMatchObject({ x: 900, subject: 2 });
  });

  it('needs a keyframe', () => {
    expect(() => windowAt([], 0, lerpWindow)).toThrow();
  });
});

describe('cropSize', () => {
  it.each([
    [1920, 1080, '9:16', { w: 608, h: 1080 }],
    [1280, 720, '9:16', { w: 406, h: 720 }],
    [1920, 1080, '1:1', { w: 1080, h: 1080 }],
    [1920, 1080, '4:5', { w: 864, h: 1080 }],
    [1920, 1080, '16:9', { w: 1920, h: 1080 }],
    [1080, 1920, '16:9', { w: 1080, h: 608 }],
    [1920, 1080, '21:9', { w: 1920, h: 822 }],
    [1921, 1081, '16:9', { w: 1920, h: 1080 }],
    [700, 700, '9:16', { w: 394, h: 700 }],
  ])('%i×%i at %s', (width, height, aspect, expected) => {
    expect(cropSize({ width, height }, parseAspectRatio(aspect)!)).toEqual(expected);
  });
});

describe('outputSize', () => {
  const nine = { w: 9, h: 16 };
  it('asks for the output height when the crop has the pixels, or upscaling is allowed', () => {
    expect(outputSize({ w: 1216, h: 2160 }, nine, 1920, false)).toEqual({ width: 1080, height: 1920 });
    expect(outputSize({ w: 608, h: 1080 }, nine, 1920, true)).toEqual({ width: 1080, height: 1920 });
  });

  it('falls back to the crop height rather than upscale, and keeps both sides even', () => {
    expect(outputSize({ w: 608, h: 1080 }, nine, 1920, false)).toEqual({ width: 608, height: 1080 });
    expect(outputSize({ w: 406, h: 720 }, nine, 1920, false)).toEqual({ width: 406, height: 720 });
    expect(outputSize({ w: 608, h: 1080 }, nine, 721, false)).toEqual({ width: 406, height: 720 });
  });
});

describe('sceneAt', () => {
  const path: ReframePath = {
    version: 1,
    source: { width: 1920, height: 1080 },
    output: { width: 608, height: 1080 },
    aspect_ratio: '9:16',
    start: 0,
    end: 10,
    scenes: [
      { start: 0, end: 4, layout: 'single', keyframes: [kf(0, 100)] },
      { start: 4, end: 10, layout: 'single', keyframes: [kf(4, 900)] },
    ],
  };

  it('finds the scene covering t, a boundary belonging to the later scene', () => {
    expect(sceneAt(path, 3.99)).toBe(path.scenes[0]);
    expect(sceneAt(path, 4)).toBe(path.scenes[1]);
  });

  it('gives the last scene at or after the end and the first before the start', () => {
    expect(sceneAt(path, 10)).toBe(path.scenes[1]);
    expect(sceneAt(path, -1)).toBe(path.scenes[0]);
  });
});
