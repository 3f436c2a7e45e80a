// The fallback frame source for files the browser cannot decode itself (AVI, MPEG-4 part 2, MKV with
// codecs outside WebCodecs…): ffmpeg.wasm decodes every frame to I420 at the analysis size (the server's
// frameDecodeArgs, timestamps from its FrameStamper), a few seconds per run. Fed a File or Blob; yields
// the same DecodedFrames as Mp4FrameSource (VideoFrames the caller must close), in presentation order.
import { analysisSize, containerTimeOffset, frameDecodeArgs, FrameStamper } from '../analysis/frame-decoding';
import { SPEAKER_DEFAULTS } from '../analysis/analysis-settings';
import { openFFmpeg, type FFmpegRuntime, type ProbedMedia } from './ffmpeg-runtime';
import type { DecodedFrame, Mp4VideoFacts } from './mp4-frame-source';

export interface FFmpegFrameSourceOptions {
  /** Longer side of the frames, px; default the face mesh's (the largest size the analysis uses). */
  maxSide?: number;
  /** Seconds decoded per ffmpeg run: bounds the memory one run's raw frames take. Default 2. */
  chunkSeconds?: number;
  /** Where the app serves ffmpeg.wasm (default `/vendor/ffmpeg`). */
  ffmpegBase?: string;
  signal?: AbortSignal;
}

const RAW_FILE = '/frames.yuv';

/** The seek and stop of each run, on the file's clock: [start, end) in stream time-base units. */
export function decodeChunks(media: ProbedMedia, chunkSeconds: number): { seekTo?: number; startPts?: number; endPts?: number }[] {
  const { duration, startTime } = media.media;
  const [num, den] = media.timeBase;
  const chunks: { seekTo?: number; startPts?: number; endPts?: number }[] = [];
  const count = Math.max(1, Math.ceil(duration / chunkSeconds - 1e-9));
  for (let i = 0; i < count; i++) {
    const from = startTime + i * chunkSeconds;
    chunks.push({
      ...(i > 0 ? { seekTo: from, startPts: Math.round((from * den) / num) } : {}),
      // The last run has no end, so frames past a short container duration are not lost.
      ...(i < count - 1 ? { endPts: Math.round(((from + chunkSeconds) * den) / num) } : {}),
    });
  }
  return chunks;
}

export class FFmpegFrameSource {
  private constructor(
    private readonly runtime: FFmpegRuntime,
    private readonly media: ProbedMedia,
    readonly facts: Mp4VideoFacts,
    /** The frames' size. */
    readonly size: { width: number; height: number },
    private readonly chunkSeconds: number,
  ) {}

  /** Loads ffmpeg.wasm and probes the file; refuses a file ffprobe finds no video in. */
  static async open(file: Blob, o: FFmpegFrameSourceOptions = {}): Promise<FFmpegFrameSource> {
    const runtime = await openFFmpeg(file, { base: o.ffmpegBase, signal: o.signal });
    try {
      const probed = await runtime.probe();
      const { media } = probed;
      const facts: Mp4VideoFacts = {
        width: media.width,
        height: media.height,
        duration: media.duration,
        fps: media.fps,
        frames: media.frames,
        codec: media.videoCodec,
      };
      const size = analysisSize(media.width, media.height, o.maxSide ?? SPEAKER_DEFAULTS.side);
      return new FFmpegFrameSource(runtime, probed, facts, size, o.chunkSeconds ?? 2);
    } catch (error) {
      runtime.close();
      throw error;
    }
  }

  /** Every frame; ends (and frees ffmpeg) when the file does, the consumer stops, or `signal` aborts. */
  async *frames(signal?: AbortSignal): AsyncGenerator<DecodedFrame> {
    const { width, height } = this.size;
    const frameBytes = width * height * 1.5;
    const offset = containerTimeOffset(this.media.media.formatName, this.media.media.startTime);
    const stop = () => this.runtime.close();
    signal?.addEventListener('abort', stop, { once: true });
    let frame = 0;
    try {
      for (const chunk of decodeChunks(this.media, this.chunkSeconds)) {
        signal?.throwIfAborted();
        const args = frameDecodeArgs({
          input: this.runtime.input,
          width,
          height,
          pixelFormat: 'yuv420p',
          seekTo: chunk.seekTo,
          endPts: chunk.endPts,
        });
        // ffmpeg.wasm has no stdout to stream from while it runs: the raw frames go to a file instead.
        args[args.length - 1] = RAW_FILE;
        const stamper = new FrameStamper(false, offset);
        const stamps: { timestamp: number; pts?: number }[] = [];
        await this.runtime.exec(args, (line) => {
          const stamp = stamper.push(line);
          if (stamp) stamps.push(stamp);
        });
        const raw = (await this.runtime.ffmpeg.readFile(RAW_FILE)) as Uint8Array;
        await this.runtime.ffmpeg.deleteFile(RAW_FILE);
        const count = Math.min(stamps.length, Math.floor(raw.byteLength / frameBytes));
        for (let i = 0; i < count; i++) {
          const stamp = stamps[i]!;
          // A seek lands on the keyframe before the chunk: frames the previous run gave are skipped.
          if (chunk.startPts !== undefined && stamp.pts !== undefined && stamp.pts < chunk.startPts) continue;
          signal?.throwIfAborted();
          const video = new VideoFrame(raw.subarray(i * frameBytes, (i + 1) * frameBytes), {
            format: 'I420',
            codedWidth: width,
            codedHeight: height,
            timestamp: Math.round(stamp.timestamp * 1e6),
          });
          yield { frame: frame++, timestamp: stamp.timestamp, video };
        }
      }
    } catch (error) {
      // Aborting terminates ffmpeg mid-run; the run then fails with ffmpeg.wasm's own error.
      if (signal?.aborted) throw new DOMException('decoding cancelled', 'AbortError');
      throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
      this.runtime.close();
    }
  }
}
