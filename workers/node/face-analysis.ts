// Face tracking over a local video file: samples frames at the detector's input size, detects faces
// and tracks them with the shared FaceTracker, ending every track at the given scene cuts. Used by
// the face_tracking_yolov8 step and by the benchmark. Returns the face-tracking result object.
import { analysisSize } from '../analysis/frame-decoding';
import { FaceTracker } from '../analysis/face-tracker';
import { buildFaceTrackingResult } from '../analysis/face-tracking-result';
import { createFaceDetector, type FaceDetectorKind } from './face-detector';
import { decodeFrames } from './frame-source';
import type { RunOptions, VideoFacts } from './scene-analysis';

export interface FaceParams {
  sample_fps: number;
  min_face_size: number;
  detector: FaceDetectorKind;
}

export async function analyzeFaces(
  file: string,
  video: VideoFacts,
  params: FaceParams,
  opts: RunOptions & { cutFrames?: number[]; faceModelSetting?: string } = {},
) {
  const detector = await createFaceDetector(params.detector, opts.faceModelSetting);
  const cutFrames = [...(opts.cutFrames ?? [])].sort((a, b) => a - b);
  const tracker = new FaceTracker();
  const expected = Math.max(1, Math.ceil(video.duration * params.sample_fps));
  const size = analysisSize(video.width, video.height, detector.inputSize);
  let sampled = 0;
  const frames = decodeFrames({
    input: file,
    ...size,
    sampleFps: params.sample_fps,
    threads: 2,
    timeOffset: video.timeOffset,
    signal: opts.signal,
  });
  for await (const frame of frames) {
    while (cutFrames.length && cutFrames[0]! <= frame.frame) {
      cutFrames.shift();
      tracker.cut();
    }
    const faces = (await detector.detect(frame, video.width, video.height)).filter(
      (d) => Math.min(d.box[2], d.box[3]) >= params.min_face_size,
    );
    tracker.push({ frameNumber: frame.frame, timestamp: frame.timestamp, detections: faces });
    if (++sampled % 10 === 0) opts.progress?.(Math.min(0.99, sampled / expected));
  }
  return buildFaceTrackingResult({
    model: 'face_tracking_yolov8',
    video_fps: video.fps,
    total_frames: video.frames,
    sample_fps: params.sample_fps,
    tracks: tracker.finish(),
  });
}
