// Pure half of the face mesh's frame source: the ffmpeg arguments that decode a video to planar YUV
// 4:2:0 (yuv420p) at the analysis size and sampling rate, with the same two `showinfo` filters as the
// RGB frame source (so FrameStamper recovers each frame's number and time). ffmpeg then neither
// converts to RGB nor pipes three bytes a pixel; the crop converts only the pixels it samples.
// Fed by probe metadata; returns arguments and frame sizes.
import { frameDecodeArgs, type FrameDecodeOptions } from './frame-decoding';

export type YuvDecodeOptions = Pick<FrameDecodeOptions, 'input' | 'width' | 'height' | 'sampleFps' | 'threads'>;

/** Bytes of one yuv420p frame of even width × height. */
export function yuv420FrameBytes(width: number, height: number): number {
  return width * height + 2 * (width >> 1) * (height >> 1);
}

export function yuvDecodeArgs(o: YuvDecodeOptions): string[] {
  if (o.width % 2 || o.height % 2) throw new RangeError(`yuvDecodeArgs: ${o.width}×${o.height} is not even`);
  // Scaled in YUV, before any conversion: swscale's combined scale + RGB conversion costs ffmpeg about
  // four times as much.
  return frameDecodeArgs({ ...o, pixelFormat: 'yuv420p' });
}
