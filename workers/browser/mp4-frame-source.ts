// Every frame of a local MP4/MOV file, decoded by the browser with WebCodecs: mp4box.js reads the file
// piece by piece (a Blob: nothing is uploaded), VideoDecoder decodes the first video track. Frames come
// out in presentation order with their frame number and time, a few at a time (the decoder is fed only
// as fast as frames are taken). Fed a File or Blob; yields VideoFrames the caller must close.
import { createFile, DataStream, Endianness, MP4BoxBuffer, type ISOFile, type Movie, type Sample } from 'mp4box';

export interface Mp4VideoFacts {
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  /** Frames per second (frame count over the track's duration). */
  fps: number;
  frames: number;
  codec: string;
}

export interface DecodedFrame {
  frame: number;
  /** Presentation seconds: the sample's composition time shifted by the track's edit list, as ffmpeg reports it. */
  timestamp: number;
  video: VideoFrame;
}

/** Bytes read from the file at once. */
const CHUNK = 4 << 20;

/** Gives mp4box the file's next piece from `position`; returns where to read next. */
export async function appendNextChunk(mp4: ISOFile, file: Blob, position: number): Promise<number> {
  const buffer = MP4BoxBuffer.fromArrayBuffer(await file.slice(position, position + CHUNK).arrayBuffer(), position);
  const next = mp4.appendBuffer(buffer, position + CHUNK >= file.size);
  return next > position ? next : position + CHUNK;
}
/** Decoded frames held ahead of the consumer. */
const AHEAD = 6;

export class Mp4FrameSource {
  private readonly output: DecodedFrame[] = [];
  private decoder: VideoDecoder | null = null;
  private readPosition = 0;
  private fileDone = false;
  private flushed = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private decodedCount = 0;
  /** Seconds subtracted from composition times (the edit list's media start). */
  private shift = 0;

  private constructor(
    private readonly file: Blob,
    private readonly mp4: ISOFile,
    /** Filled by mp4box as it parses: the video track's samples in decode order, not yet decoded. */
    private readonly samples: Sample[],
    readonly facts: Mp4VideoFacts,
    private readonly config: VideoDecoderConfig,
  ) {}

  /** Reads the file up to its movie header; refuses a file without a video track WebCodecs decodes. */
  static async open(file: Blob): Promise<Mp4FrameSource> {
    const mp4 = createFile();
    const samples: Sample[] = [];
    let info: Movie | null = null;
    let failure: string | null = null;
    // Extraction starts as soon as the header is known, so samples in the rest of the same buffer are kept.
    mp4.onReady = (movie) => {
      info = movie;
      const track = movie.videoTracks[0];
      if (!track) return;
      mp4.onSamples = (_id, _user, batch) => {
        samples.push(...batch);
      };
      mp4.setExtractionOptions(track.id, null, { nbSamples: 50 });
      mp4.start();
    };
    mp4.onError = (_module: string, message: string) => (failure = message);
    let position = 0;
    while (!info && !failure && position < file.size) {
      position = await appendNextChunk(mp4, file, position);
    }
    if (!info) throw new Error(failure ? `not a readable MP4: ${failure}` : 'not an MP4 file with a movie header');
    const movie = info as Movie;
    const track = movie.videoTracks[0];
    if (!track?.video) throw new Error('the file has no video track');
    const config: VideoDecoderConfig = {
      codec: track.codec.startsWith('vp08') ? 'vp8' : track.codec,
      codedWidth: track.video.width,
      codedHeight: track.video.height,
      description: decoderDescription(mp4, track.id),
    };
    const support = await VideoDecoder.isConfigSupported(config).catch(() => ({ supported: false }));
    if (!support.supported) throw new Error(`this browser cannot decode ${track.codec}`);
    const trackSeconds = track.duration / track.timescale;
    const duration = movie.duration / movie.timescale || trackSeconds;
    const source: Mp4FrameSource = new Mp4FrameSource(
      file,
      mp4,
      samples,
      {
        width: track.video.width,
        height: track.video.height,
        duration,
        fps: trackSeconds > 0 ? track.nb_samples / trackSeconds : 25,
        frames: track.nb_samples,
        codec: track.codec,
      },
      config,
    );
    // Presentation times as ffmpeg gives them: the edit list's empty edits delay the track, its first
    // real edit starts the media at media_time.
    const edits = track.edits ?? [];
    const delay = edits.filter((e) => e.media_time === -1).reduce((sum, e) => sum + e.segment_duration, 0) / movie.timescale;
    const start = edits.find((e) => e.media_time >= 0)?.media_time ?? 0;
    source.shift = start / track.timescale - delay;
    source.readPosition = position;
    return source;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<DecodedFrame> {
    this.start();
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (this.failure) throw this.failure;
        const next = this.output.shift();
        if (next) {
          this.pump();
          yield next;
          continue;
        }
        if (this.flushed) return;
        await this.pump(true);
      }
    } finally {
      for (const f of this.output.splice(0)) f.video.close();
      if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
      this.mp4.stop();
    }
  }

  private start() {
    this.decoder = new VideoDecoder({
      output: (video) => {
        const timestamp = Math.max(0, Math.round((video.timestamp / 1e6 - this.shift) * 1e6) / 1e6);
        this.output.push({ frame: this.decodedCount++, timestamp, video });
        this.notify();
      },
      error: (e) => {
        this.failure = new Error(`video decoding failed: ${e.message}`);
        this.notify();
      },
    });
    this.decoder.configure(this.config);
  }

  /** Keeps the decoder fed while few frames wait; with `wait`, resolves once something changed. */
  private async pump(wait = false): Promise<void> {
    const decoder = this.decoder!;
    const changed = wait ? new Promise<void>((r) => (this.wake = r)) : null;
    while (!this.failure && this.output.length + decoder.decodeQueueSize < AHEAD) {
      const sample = this.samples.shift();
      if (sample) {
        decoder.decode(
          new EncodedVideoChunk({
            type: sample.is_sync ? 'key' : 'delta',
            timestamp: Math.round((sample.cts / sample.timescale) * 1e6),
            duration: Math.round((sample.duration / sample.timescale) * 1e6),
            data: sample.data!,
          }),
        );
        // The chunk holds its own copy: mp4box may drop the sample's bytes now.
        this.mp4.releaseUsedSamples(sample.track_id, sample.number + 1);
        continue;
      }
      if (!this.fileDone) {
        await this.readMore();
        continue;
      }
      if (!this.flushed) {
        await decoder.flush();
        this.flushed = true;
        this.notify();
      }
      break;
    }
    if (changed && !this.flushed && !this.failure && !this.output.length) await changed;
    this.wake = null;
  }

  private async readMore() {
    if (this.readPosition >= this.file.size) {
      this.mp4.flush();
      this.fileDone = true;
      return;
    }
    this.readPosition = await appendNextChunk(this.mp4, this.file, this.readPosition);
  }

  private notify() {
    this.wake?.();
    this.wake = null;
  }
}

/** The codec configuration record (avcC, hvcC, vpcC, av1C) WebCodecs wants as `description`. */
function decoderDescription(mp4: ISOFile, trackId: number): Uint8Array | undefined {
  const trak = mp4.getTrackById(trackId);
  for (const entry of trak.mdia.minf.stbl.stsd.entries) {
    const box = entry as unknown as Record<string, { write(stream: DataStream): void } | undefined>;
    const config = box.avcC ?? box.hvcC ?? box.vpcC ?? box.av1C;
    if (config) {
      const stream = new DataStream(undefined, 0, Endianness.BIG_ENDIAN);
      config.write(stream);
      // The record without its 8-byte box header.
      return new Uint8Array(stream.buffer, 8);
    }
  }
  return undefined;
}
