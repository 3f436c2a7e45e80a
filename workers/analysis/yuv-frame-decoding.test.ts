// The face mesh's YUV decode arguments: same sampling and stamping filters as the RGB source, scaling
// in YUV, yuv420p out; and the frame size.
import { describe, expect, it } from 'vitest';
import { yuv420FrameBytes, yuvDecodeArgs } from './yuv-frame-decoding';

describe('yuvDecodeArgs', () => {
  it('keeps timestamps, selects by slot between two showinfo filters, scales last and writes yuv420p', () => {
    const args = yuvDecodeArgs({ input: 'in.mp4', width: 320, height: 180, sampleFps: 25, threads: 2 });
    expect(args).toContain('-copyts');
    expect(args.slice(args.indexOf('-threads'), args.indexOf('-threads') + 2)).toEqual(['-threads', '2']);
    expect(args[args.indexOf('-vf') + 1]).toBe(
      "showinfo=checksum=0,select='isnan(prev_selected_t)+gte(floor(t*25)\\,floor(prev_selected_t*25)+1)',showinfo=checksum=0,scale=320:180:flags=bilinear",
    );
    expect(args.slice(-5)).toEqual(['-pix_fmt', 'yuv420p', '-f', 'rawvideo', 'pipe:1']);
  });

  it('keeps every frame without a rate and refuses odd sizes', () => {
    const args = yuvDecodeArgs({ input: 'x', width: 2, height: 2 });
    expect(args[args.indexOf('-vf') + 1]).toBe('showinfo=checksum=0,scale=2:2:flags=bilinear');
    expect(() => yuvDecodeArgs({ input: 'x', width: 3, height: 2 })).toThrow(RangeError);
  });
});

describe('yuv420FrameBytes', () => {
  it('is the luma plane plus two quarter-size chroma planes', () => {
    expect(yuv420FrameBytes(1280, 720)).toBe(1280 * 720 * 1.5);
    expect(yuv420FrameBytes(2, 2)).toBe(6);
  });
});
