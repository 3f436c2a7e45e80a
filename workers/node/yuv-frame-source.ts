// The face mesh's frame source: runs ffmpeg to decode a video to planar YUV 4:2:0 frames at the
// analysis size and rate (see yuv-frame-decoding.ts for why not RGB), and yields them one at a time
// with their decoded frame number and presentation time, through the RGB frame source's reader
// (frame-source.ts readRawFrames: read-ahead, stamps, stopping).
import type { FrameStamp } from '../analysis/frame-decoding';
import { yuv420FrameBytes, yuvDecodeArgs, type YuvDecodeOptions } from '../analysis/yuv-frame-decoding';
import { readRawFrames } from './frame-source';

export interface YuvFrame extends FrameStamp {
  width: number;
  height: number;
  /** Planar yuv420p: the Y plane, then U and V at half width and height. */
  data: Uint8Array;
}

export interface YuvFrameSourceOptions extends YuvDecodeOptions {
  signal?: AbortSignal;
  timeOffset?: number;
  ffmpeg?: string;
  /** Decoded bytes held ahead of the consumer (at least two frames). Default 16 MiB. */
  readAheadBytes?: number;
}

export function decodeYuvFrames(o: YuvFrameSourceOptions): AsyncGenerator<YuvFrame> {
  return readRawFrames(yuvDecodeArgs(o), yuv420FrameBytes(o.width, o.height), o);
}
