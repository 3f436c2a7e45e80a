// Frame decoding bookkeeping: sizes, the sampling expression and matching showinfo lines to frames.
import { describe, expect, it } from 'vitest';
import {
  analysisSize,
  containerTimeOffset,
  frameDecodeArgs,
  FrameStamper,
  keyframeProbeArgs,
  parseKeyframeProbe,
  parseShowinfoLine,
  planSegments,
  segmentTargets,
} from './frame-decoding';

const line = (filter: number, n: number, pts: number) =>
  `[Parsed_showinfo_${filter} @ 0x55d1] n:${String(n).padStart(4)} pts:${Math.round(pts * 11988)} pts_time:${pts} pos: 10 fmt:yuv420p`;

describe('analysisSize', () => {
  it('scales the longer side down to the limit, keeps even sizes, never scales up', () => {
    expect(analysisSize(1920, 1080, 640)).toEqual({ width: 640, height: 360 });
    expect(analysisSize(1080, 1920, 640)).toEqual({ width: 360, height: 640 });
    expect(analysisSize(320, 240, 640)).toEqual({ width: 320, height: 240 });
    expect(analysisSize(701, 333, 160)).toEqual({ width: 160, height: 76 });
  });
});

describe('frameDecodeArgs', () => {
  it('keeps timestamps, selects by slot when sampling and scales last', () => {
    const args = frameDecodeArgs({ input: 'in.mp4', width: 320, height: 180, sampleFps: 10 });
    expect(args).toContain('-copyts');
    const vf = args[args.indexOf('-vf') + 1]!;
    expect(vf).toBe(
      "showinfo=checksum=0,select='isnan(prev_selected_t)+gte(floor(t*10)\\,floor(prev_selected_t*10)+1)',showinfo=checksum=0,scale=320:180:flags=bilinear",
    );
    expect(args.slice(-5)).toEqual(['-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1']);
    expect(
      frameDecodeArgs({ input: 'x', width: 2, height: 2 })[frameDecodeArgs({ input: 'x', width: 2, height: 2 }).indexOf('-vf') + 1],
    ).toBe('showinfo=checksum=0,scale=2:2:flags=bilinear');
  });

  it('seeks to a keyframe by its own timestamp without dropping frames, and trims at an end pts first', () => {
    const args = frameDecodeArgs({ input: 'in.mp4', width: 160, height: 90, seekTo: 30.130934, endPts: 640001 });
    expect(args.slice(args.indexOf('-copyts'), args.indexOf('-i') + 2)).toEqual([
      '-copyts',
      '-seek_timestamp',
      '1',
      '-noaccurate_seek',
      '-ss',
      '30.130934',
      '-i',
      'in.mp4',
    ]);
    expect(args[args.indexOf('-vf') + 1]).toBe('trim=end_pts=640001,showinfo=checksum=0,scale=160:90:flags=bilinear');
  });
});

describe('segment plan', () => {
  const frameBytes = 160 * 90 * 3;

  it('splits into an even number of equal segments that each fit the memory budget', () => {
    expect(segmentTargets({ frames: 1500, duration: 60, frameBytes })).toEqual([30]);
    expect(segmentTargets({ frames: 1800, duration: 60, frameBytes })).toEqual([15, 30, 45]);
    expect(segmentTargets({ frames: 15000, duration: 600, frameBytes })).toHaveLength(19);
    expect(segmentTargets({ frames: 275, duration: 10, start: 0.85, frameBytes, minSegmentFrames: 100 })).toEqual([5.85]);
  });

  it('does not split short videos', () => {
    expect(segmentTargets({ frames: 275, duration: 10, frameBytes })).toEqual([]);
    expect(segmentTargets({ frames: 0, duration: 0, frameBytes })).toEqual([]);
  });

  it('probes the first packet and the packet at each target', () => {
    const args = keyframeProbeArgs('in.mp4', [20, 40]);
    expect(args[args.indexOf('-read_intervals') + 1]).toBe('%+#1,20.000000%+#1,40.000000%+#1');
    expect(args.at(-1)).toBe('in.mp4');
  });

  it('starts a segment at each distinct keyframe after the first packet, seeking just past it', () => {
    const probe = parseKeyframeProbe({
      streams: [{ time_base: '1/12800', has_b_frames: 2 }],
      packets: [
        { pts: 0, flags: 'K_' },
        { pts: 0, flags: 'K_' },
        { pts: 384000, flags: 'K_' },
        { pts: 385024, flags: '__' },
        { pts: 384000, flags: 'K_' },
      ],
    });
    expect(probe).toEqual({ timeBase: [1, 12800], hasBFrames: true, firstPts: 0, keyframes: [0, 384000, 384000] });
    const segments = planSegments(probe!);
    expect(segments).toEqual([{ endPts: 384000 }, { startPts: 384000, seekTo: expect.closeTo(30 + 0.130434 + 0.0005, 9) }]);
    // Without B-frames ffmpeg does not move the seek back, so neither do we.
    const plain = planSegments({ timeBase: [1, 11988], hasBFrames: false, firstPts: 10214, keyframes: [58214] });
    expect(plain[1]!.seekTo).toBeCloseTo(58214 / 11988 + 0.0005, 9);
    expect(parseKeyframeProbe({ streams: [], packets: [] })).toBeNull();
  });
});

describe('FrameStamper', () => {
  it('parses showinfo lines', () => {
    expect(parseShowinfoLine(line(0, 12, 1.252352))).toEqual({ filterIndex: 0, n: 12, pts: 15013, ptsTime: 1.252352 });
    expect(parseShowinfoLine('[Parsed_showinfo_0 @ 0x1] config in time_base: 1/11988')).toBeNull();
  });

  it('stamps every frame when not sampling', () => {
    const s = new FrameStamper(false);
    expect(s.push(line(0, 0, 0.852019))).toEqual({ frame: 0, timestamp: 0.852019, pts: 10214 });
    expect(s.push(line(0, 1, 0.885385))).toEqual({ frame: 1, timestamp: 0.885385, pts: 10614 });
  });

  it('matches kept frames to their decoded frame numbers when sampling', () => {
    const s = new FrameStamper(true);
    const out = [];
    for (let n = 0; n < 10; n++) {
      const pts = n * 0.04;
      out.push(s.push(line(0, n, pts)));
      if (n % 3 === 0) out.push(s.push(line(2, n / 3, pts)));
    }
    expect(out.filter(Boolean)).toEqual([
      { frame: 0, timestamp: 0, pts: 0 },
      { frame: 3, timestamp: 0.12, pts: 1439 },
      { frame: 6, timestamp: 0.24, pts: 2877 },
      { frame: 9, timestamp: 0.36, pts: 4316 },
    ]);
  });

  it('subtracts the clock offset of non-zero-based containers only', () => {
    expect(containerTimeOffset('mpegts', 1.4)).toBe(1.4);
    expect(containerTimeOffset('mov,mp4,m4a,3gp,3g2,mj2', 0.008)).toBe(0);
    const s = new FrameStamper(false, 1.4);
    expect(s.push(line(0, 0, 1.44))).toEqual({ frame: 0, timestamp: 0.04, pts: 17263 });
  });
});
