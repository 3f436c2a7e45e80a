// Frame decoding bookkeeping: sizes, the sampling expression and matching showinfo lines to frames.
import { describe, expect, it } from 'vitest';
import { analysisSize, containerTimeOffset, frameDecodeArgs, FrameStamper, parseShowinfoLine } from './frame-decoding';

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
});

describe('FrameStamper', () => {
  it('parses showinfo lines', () => {
    expect(parseShowinfoLine(line(0, 12, 1.252352))).toEqual({ filterIndex: 0, n: 12, ptsTime: 1.252352 });
    expect(parseShowinfoLine('[Parsed_showinfo_0 @ 0x1] config in time_base: 1/11988')).toBeNull();
  });

  it('stamps every frame when not sampling', () => {
    const s = new FrameStamper(false);
    expect(s.push(line(0, 0, 0.852019))).toEqual({ frame: 0, timestamp: 0.852019 });
    expect(s.push(line(0, 1, 0.885385))).toEqual({ frame: 1, timestamp: 0.885385 });
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
      { frame: 0, timestamp: 0 },
      { frame: 3, timestamp: 0.12 },
      { frame: 6, timestamp: 0.24 },
      { frame: 9, timestamp: 0.36 },
    ]);
  });

  it('subtracts the clock offset of non-zero-based containers only', () => {
    expect(containerTimeOffset('mpegts', 1.4)).toBe(1.4);
    expect(containerTimeOffset('mov,mp4,m4a,3gp,3g2,mj2', 0.008)).toBe(0);
    const s = new FrameStamper(false, 1.4);
    expect(s.push(line(0, 0, 1.44))).toEqual({ frame: 0, timestamp: 0.04 });
  });
});
