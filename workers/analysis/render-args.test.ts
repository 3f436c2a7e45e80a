// The renderer's ffmpeg arguments and crop commands: static, panned, hard-cut and split paths, a
// sub-span of the source, a container time offset, and the exact frame a cut lands on.
import { describe, expect, it } from 'vitest';
import { cropCommands, escapeFilterValue, frameRate, outputFrameCount, paneHeights, renderArgs } from './render-args';
import type { PathScene, ReframePath, SingleKeyframe, SplitKeyframe } from './reframe-path';

const kf = (t: number, x: number, y = 0, w = 405, h = 720): SingleKeyframe => ({ t, x, y, w, h, subject: null });
const single = (start: number, end: number, ...keyframes: SingleKeyframe[]): PathScene => ({ start, end, layout: 'single', keyframes });
const split = (start: number, end: number, ...keyframes: SplitKeyframe[]): PathScene => ({ start, end, layout: 'split', keyframes });
const panes = (t: number, x0: number, x1: number): SplitKeyframe => ({
  t,
  panes: [
    { x: x0, y: 0, w: 640, h: 569, subject: 0 },
    { x: x1, y: 100, w: 640, h: 569, subject: 1 },
  ],
});

function path(scenes: PathScene[], start = 0, end = 4): ReframePath {
  return {
    version: 1,
    source: { width: 1280, height: 720 },
    output: { width: 608, height: 1080 },
    aspect_ratio: '9:16',
    start,
    end,
    scenes,
  };
}

const allCommandLines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));
/** The moves after frame 0 (whose line repeats the initial windows). */
const commandLines = (text: string) => allCommandLines(text).slice(1);
const base = { input: 'in.mp4', output: 'out.mp4', commandsFile: '/tmp/r/crop.cmd', fps: 25, hasAudio: true, crf: 23, preset: 'veryfast' };
const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('frameRate', () => {
  it.each([
    [25, '25/1'],
    [29.97, '2997/100'],
    [30000 / 1001, '30000/1001'],
    [24000 / 1001, '24000/1001'],
    [12.5, '25/2'],
  ])('%s fps → %s', (fps, text) => {
    const r = frameRate(fps);
    expect(`${r.num / gcd(r.num, r.den)}/${r.den / gcd(r.num, r.den)}`).toBe(text);
  });

  it('rejects a non-positive rate', () => {
    expect(() => frameRate(0)).toThrow(RangeError);
  });
});

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

describe('cropCommands', () => {
  it('has only the initial windows for a static path', () => {
    expect(allCommandLines(cropCommands(path([single(0, 4, kf(0, 437))]), { fps: 25 }))).toEqual(['0 crop@single x 437, crop@single y 0;']);
  });

  it('moves a pan every output frame by the interpolated amount, half a frame ahead of the frame', () => {
    const text = cropCommands(path([single(0, 4, kf(0, 100), kf(1, 500))]), { fps: 25 });
    const lines = commandLines(text);
    // 400 px in 25 frames: 16 px a frame, frames 1…25, then held.
    expect(lines).toHaveLength(25);
    expect(lines[0]).toBe('0.02 crop@single x 116;');
    expect(lines[11]).toBe('0.46 crop@single x 292;');
    expect(lines[24]).toBe('0.98 crop@single x 500;');
  });

  it('moves x and y together in one interval', () => {
    const p = path([single(0, 1, kf(0, 0, 0, 360, 360), kf(0.2, 50, 100, 360, 360))]);
    expect(commandLines(cropCommands(p, { fps: 10 }))).toEqual([
      '0.05 crop@single x 25, crop@single y 50;',
      '0.15 crop@single x 50, crop@single y 100;',
    ]);
  });

  it('makes a hard cut in one frame, on the frame the source cut is shown', () => {
    const p = path([single(0, 4, kf(0, 100), kf(2, 100), kf(2, 700))]);
    expect(commandLines(cropCommands(p, { fps: 25 }))).toEqual(['1.98 crop@single x 700;']);
  });

  it.each([
    // A cut between frame times lands on the output frame that shows the first source frame after it.
    [2.01, '1.98'],
    [2.019, '1.98'],
    [2.021, '2.02'],
    [2.03, '2.02'],
  ])('a cut at %ss lands on the frame at %ss + half a frame', (t, at) => {
    const p = path([single(0, 4, kf(t, 100), kf(t, 700))]);
    expect(commandLines(cropCommands(p, { fps: 25 }))).toEqual([`${at} crop@single x 700;`]);
  });

  it('cuts between scenes exactly at the scene start', () => {
    const p = path([single(0, 1.5, kf(0, 100)), single(1.5, 4, kf(1.5, 800), kf(2.5, 900))]);
    const lines = commandLines(cropCommands(p, { fps: 10 }));
    expect(lines[0]).toBe('1.45 crop@single x 800;');
    expect(lines[1]).toBe('1.55 crop@single x 810;');
  });

  it('counts output time from the path start, whatever the container time offset', () => {
    const p = path([single(10, 12, kf(10.5, 100), kf(10.5, 300))], 10, 12);
    const expected = ['0.45 crop@single x 300;'];
    expect(commandLines(cropCommands(p, { fps: 10 }))).toEqual(expected);
    expect(commandLines(cropCommands(p, { fps: 10, timeOffset: 1.4 }))).toEqual(expected);
  });

  it('moves the panes of a split scene and holds the single crop while it is hidden', () => {
    const p = path([single(0, 1, kf(0, 100)), split(1, 2, panes(1, 0, 640), panes(1.2, 40, 600)), single(2, 3, kf(2, 300))], 0, 3);
    const lines = commandLines(cropCommands(p, { fps: 10 }));
    expect(lines).toEqual([
      '1.05 crop@pane0 x 20, crop@pane1 x 620;',
      '1.15 crop@pane0 x 40, crop@pane1 x 600;',
      '1.95 crop@single x 300;',
    ]);
  });

  it('keeps one crop size: a keyframe of another size is placed around its centre', () => {
    const p = path([single(0, 1, kf(0, 100), kf(0.5, 100, 0, 445, 720))]);
    const lines = commandLines(cropCommands(p, { fps: 10 }));
    expect(lines.at(-1)).toBe('0.45 crop@single x 120;');
  });

  it('clamps windows inside the source', () => {
    const late = path([single(0, 1, kf(0, 100), kf(0.5, 100), kf(0.5, 1200))]);
    expect(commandLines(cropCommands(late, { fps: 10 }))).toEqual(['0.45 crop@single x 875;']);
  });
});

describe('renderArgs', () => {
  it('renders a static single path in one pass: accurate seek, exact clock, crop, scale, x264, AAC, faststart', () => {
    const args = renderArgs({ ...base, path: path([single(0, 4, kf(0, 437.4))]) });
    expect(argAfter(args, '-seek_timestamp')).toBe('1');
    expect(argAfter(args, '-ss')).toBe('0');
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(argAfter(args, '-i')).toBe('in.mp4');
    expect(argAfter(args, '-filter_complex')).toBe(
      '[0:v:0]fps=25:start_time=0,sendcmd=f=/tmp/r/crop.cmd,crop@single=w=405:h=720:x=437:y=0,scale=608:1080,setsar=1,format=yuv420p[v];' +
        '[0:a:0]aresample=async=1:first_pts=0[a]',
    );
    expect(args.join(' ')).toContain('-map [v] -map [a] -c:a aac');
    expect(args.join(' ')).toContain('-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p');
    expect(argAfter(args, '-movflags')).toBe('+faststart');
    expect(argAfter(args, '-progress')).toBe('pipe:1');
    expect(args.at(-1)).toBe('out.mp4');
  });

  it('writes a video-only file for a source without audio', () => {
    const args = renderArgs({ ...base, hasAudio: false, path: path([single(0, 4, kf(0, 0))]) });
    expect(args).toContain('-an');
    expect(args).not.toContain('[a]');
    expect(argAfter(args, '-filter_complex')).not.toContain('0:a');
  });

  it('seeks to the path start and keeps its span', () => {
    const args = renderArgs({ ...base, path: path([single(12.25, 20, kf(12.25, 0))], 12.25, 20) });
    expect(argAfter(args, '-ss')).toBe('12.25');
    expect(args.filter((a, i) => args[i - 1] === '-t')).toEqual(['7.75', '7.75']);
  });

  it('seeks an offset container (MPEG-TS) early and drops the lead-in, so decoding starts on a keyframe', () => {
    const p = path([single(12, 13, kf(12, 0))], 12, 13);
    const args = renderArgs({ ...base, path: p, timeOffset: 1.4 });
    expect(argAfter(args, '-ss')).toBe('3.4');
    expect(argAfter(args, '-t')).toBe('11');
    const g = argAfter(args, '-filter_complex')!;
    expect(g).toContain('[0:v:0]trim=start=10,setpts=PTS-10/TB,fps=25:start_time=0,');
    expect(g).toContain('[0:a:0]atrim=start=10,asetpts=PTS-10/TB,aresample');
    // Near the start of the file the lead-in is what there is.
    const early = renderArgs({ ...base, path: path([single(2, 3, kf(2, 0))], 2, 3), timeOffset: 1.4 });
    expect(argAfter(early, '-ss')).toBe('0');
    expect(argAfter(early, '-filter_complex')).toContain('trim=start=3.4,setpts=PTS-3.4/TB,');
  });

  it('starts the crops at their first windows', () => {
    const p = path([single(0, 4, kf(1, 300, 0), kf(2, 500, 0))]);
    expect(argAfter(renderArgs({ ...base, path: p }), '-filter_complex')).toContain('crop@single=w=405:h=720:x=300:y=0,');
  });

  it('stacks the panes of a split path top to bottom', () => {
    const g = argAfter(renderArgs({ ...base, path: path([split(0, 4, panes(0, 0, 640))]) }), '-filter_complex')!;
    expect(g).toBe(
      '[0:v:0]fps=25:start_time=0,sendcmd=f=/tmp/r/crop.cmd,split=2[p0][p1];' +
        '[p0]crop@pane0=w=640:h=569:x=0:y=0,scale=608:540,setsar=1[q0];' +
        '[p1]crop@pane1=w=640:h=569:x=640:y=100,scale=608:540,setsar=1[q1];' +
        '[q0][q1]vstack=inputs=2,format=yuv420p[v];' +
        '[0:a:0]aresample=async=1:first_pts=0[a]',
    );
  });

  it('shows the stacked panes over the single branch only on the split scenes’ frames', () => {
    const p = path(
      [single(0, 1, kf(0, 100)), split(1, 2, panes(1, 0, 640)), single(2, 3, kf(2, 300)), split(3, 3.5, panes(3, 0, 640))],
      0,
      3.5,
    );
    const g = argAfter(renderArgs({ ...base, fps: 10, path: p }), '-filter_complex')!;
    expect(g).toContain('sendcmd=f=/tmp/r/crop.cmd,split=3[s][p0][p1];');
    expect(g).toContain('[q0][q1]vstack=inputs=2[stack];[s]crop@single=w=405:h=720:x=100:y=0,scale=608:1080,setsar=1[single];');
    // Frames 10–19 and 30–34, each range widened by half a frame.
    expect(g).toContain("[single][stack]overlay=x=0:y=0:enable='between(t,0.95,1.95)+between(t,2.95,3.45)',format=yuv420p[v]");
  });

  it('builds no split branch without a split scene', () => {
    const g = argAfter(renderArgs({ ...base, path: path([single(0, 4, kf(0, 0))]) }), '-filter_complex')!;
    expect(g).not.toMatch(/split|vstack|overlay/);
  });

  it('uses the exact rational frame rate', () => {
    const g = argAfter(renderArgs({ ...base, fps: 30000 / 1001, path: path([single(0, 4, kf(0, 0))]) }), '-filter_complex')!;
    expect(g).toContain('fps=30000/1001:start_time=0');
    expect(outputFrameCount(path([single(0, 4, kf(0, 0))]), 30000 / 1001)).toBe(120);
    expect(outputFrameCount(path([single(0, 4, kf(0, 0))]), 25)).toBe(100);
    expect(outputFrameCount(path([single(0, 4.01, kf(0, 0))], 0, 4.01), 25)).toBe(101);
  });

  it('escapes a commands file name for the filter graph (option level, then graph level)', () => {
    // Checked by hand with ffmpeg 5.1 on a real folder of that name.
    expect(escapeFilterValue("/tmp/we:ird,d'ir [x]/c;md.txt")).toBe("/tmp/we\\\\:ird\\,d\\\\\\'ir \\[x\\]/c\\;md.txt");
    const g = argAfter(renderArgs({ ...base, commandsFile: 'C:\\tmp\\c.cmd', path: path([single(0, 4, kf(0, 0))]) }), '-filter_complex')!;
    expect(g).toContain('sendcmd=f=C\\\\:\\\\\\\\tmp\\\\\\\\c.cmd,');
  });

  it('rejects an empty span and panes that change in number', () => {
    expect(() => renderArgs({ ...base, path: path([single(0, 4, kf(0, 0))], 2, 2) })).toThrow(RangeError);
    const bad = split(0, 4, panes(0, 0, 640), { t: 1, panes: [{ x: 0, y: 0, w: 640, h: 569, subject: null }] });
    expect(() => renderArgs({ ...base, path: path([bad]) })).toThrow(/same number of panes/);
  });
});

describe('paneHeights', () => {
  it.each([
    [1080, 2, [540, 540]],
    [1920, 3, [640, 640, 640]],
    [1078, 3, [358, 358, 362]],
  ])('%i px in %i panes → %j', (h, n, expected) => {
    expect(paneHeights(h, n)).toEqual(expected);
  });
});
