// Every decoded frame of a long video, decoded by two ffmpeg processes at once: the file is split at
// keyframes into segments, one is decoded for the consumer while the next is decoded ahead into
// memory, and the frames come out in order with the same frame numbers, timestamps and pixels as one
// `decodeFrames` over the whole file. Fed by a file and its probe facts; yields RgbFrames.
// Why: in ffmpeg 5.1 scaling runs on ffmpeg's main thread and stalls its frame-decoding threads, so on
// two cores one process per core with one decoder thread each gets much closer to a plain decode.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import {
  keyframeProbeArgs,
  parseKeyframeProbe,
  planSegments,
  segmentTargets,
  type DecodeSegment,
  type SegmentTargetOptions,
} from '../analysis/frame-decoding';
import { decodeFrames, FrameSourceError, type FrameSourceOptions, type RgbFrame } from './frame-source';

export interface SegmentedFrameOptions extends Omit<FrameSourceOptions, 'sampleFps' | 'seekTo' | 'endPts' | 'readAheadBytes'> {
  /** Decoded frames in the video and its length in seconds, from the probe. */
  frames: number;
  duration: number;
  segmentBytes?: SegmentTargetOptions['segmentBytes'];
  minSegmentFrames?: SegmentTargetOptions['minSegmentFrames'];
  ffprobe?: string;
}

type Running = { frames: AsyncGenerator<RgbFrame>; first: Promise<IteratorResult<RgbFrame>> };

/** A segment's frames disagree with the segment before it (seek landed elsewhere, different pixels). */
class SegmentMismatch extends Error {}

export async function* decodeFramesInSegments(o: SegmentedFrameOptions): AsyncGenerator<RgbFrame> {
  const { frames: total, duration, segmentBytes, minSegmentFrames, ffprobe, ...source } = o;
  const frameBytes = o.width * o.height * 3;
  const targets = segmentTargets({ frames: total, duration, start: o.timeOffset, frameBytes, segmentBytes, minSegmentFrames });
  // One core gains nothing from a second process.
  if (!targets.length || os.availableParallelism() < 2) {
    yield* decodeFrames(source);
    return;
  }
  const threads = Math.max(1, Math.floor(os.availableParallelism() / 2));
  // The segment ahead is held whole while the current one is analysed (segments are sized to fit).
  const aheadBytes = Math.max(16 * 1024 * 1024, Math.ceil(1.5 * (segmentBytes ?? 32 * 1024 * 1024)));
  const start = (segment: DecodeSegment, readAheadBytes?: number): Running => {
    // Ends one tick late: the frame at the next segment's start comes from both, which checks the seam.
    const endPts = segment.endPts === undefined ? undefined : segment.endPts + 1;
    const frames = decodeFrames({ ...source, threads, seekTo: segment.seekTo, endPts, readAheadBytes });
    const first = frames.next();
    first.catch(() => undefined);
    return { frames, first };
  };

  // The first segment starts at the beginning whatever the plan, so it decodes while the probe runs.
  // Two segments need no probe (a process start, which under load is most of a short video's
  // margin): the second seeks by time and starts at its first frame, where the first then stops.
  // With more, the segment decoded ahead must stop by itself, so every start is probed up front.
  const running: (Running | null)[] = [start({})];
  if (targets.length === 1) running.push(start({ seekTo: targets[0] }, aheadBytes));
  let last = -1;
  try {
    const plan =
      targets.length === 1 ? [{}, { seekTo: targets[0] }] : await probeSegments(ffprobe ?? 'ffprobe', o.input, targets, o.signal);
    if (plan.length < 2) throw new SegmentMismatch('no keyframe to split at');
    let handover: RgbFrame | null = null;
    for (let i = 0; i < plan.length; i++) {
      const current = (running[i] ??= start(plan[i]!));
      if (i + 1 < plan.length) running[i + 1] ??= start(plan[i + 1]!, aheadBytes);
      const next = plan[i + 1];
      if (next && next.startPts === undefined) {
        const first = await running[i + 1]!.first;
        plan[i]!.endPts = next.startPts = first.done ? undefined : (first.value.pts ?? NaN);
      }
      const { startPts, endPts } = plan[i]!;
      let offset = i === 0 ? 0 : null;
      let seam: RgbFrame | null = null;
      for (let result = await current.first; !result.done; result = await current.frames.next()) {
        const f = result.value;
        const pts = f.pts ?? NaN;
        // Leading pictures of an open GOP come out before the keyframe: the segment before has them.
        if (startPts !== undefined && pts < startPts) continue;
        offset ??= alignedOffset(f, startPts, handover);
        const frame = { ...f, frame: f.frame + offset };
        if (endPts !== undefined && !(pts < endPts)) {
          seam = pts === endPts ? frame : null;
          break;
        }
        if (frame.frame <= last) throw new SegmentMismatch(`frame ${frame.frame} after ${last}`);
        last = frame.frame;
        yield frame;
      }
      await current.frames.return(undefined);
      running[i] = null;
      if (endPts !== undefined && !seam) throw new SegmentMismatch(`segment ${i} has no frame at pts ${endPts}`);
      handover = seam;
    }
    return;
  } catch (err) {
    // A broken file fails again below, with the error one decode gives.
    if (!(err instanceof SegmentMismatch || err instanceof FrameSourceError) || o.signal?.aborted) throw err;
  } finally {
    await Promise.allSettled(running.map((r) => r?.frames.return(undefined)));
  }
  // Something did not line up: decode the rest in one piece, after the frames already given out.
  for await (const frame of decodeFrames(source)) if (frame.frame > last) yield frame;
}

/** The number to add to a segment's own frame numbers: its first frame must be the previous
 *  segment's last (the seam frame), with the same pts and pixels. */
function alignedOffset(first: RgbFrame, startPts: number | undefined, seam: RgbFrame | null): number {
  if (!seam || first.pts !== startPts || seam.pts !== startPts || Buffer.compare(first.data, seam.data) !== 0) {
    throw new SegmentMismatch(`segment starting at pts ${startPts} does not continue the one before`);
  }
  return seam.frame - first.frame;
}

async function probeSegments(ffprobe: string, input: string, targets: number[], signal?: AbortSignal): Promise<DecodeSegment[]> {
  try {
    const { stdout } = await promisify(execFile)(ffprobe, keyframeProbeArgs(input, targets), { signal, maxBuffer: 1024 * 1024 });
    const probe = parseKeyframeProbe(JSON.parse(stdout));
    return probe ? planSegments(probe) : [];
  } catch (err) {
    if (signal?.aborted) throw err;
    return [];
  }
}
