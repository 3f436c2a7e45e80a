// Scene detection over a local video file: decodes every frame small (longer side 96 px), long
// videos in segments by two ffmpeg processes at once, and runs the shared SceneDetector. Used by the
// scene_detection step and by the benchmark.
// Returns `{ model, video_fps, total_frames, scenes }`; a decode that ends well before the probed
// frame count (the file broke off or was damaged after ingest) fails with `decode_failed`.
import { AppError } from '../../server/contracts/errors';
import { SCENE_DEFAULTS } from '../analysis/analysis-settings';
import { analysisSize } from '../analysis/frame-decoding';
import { SceneDetector, scenesFromCuts, type SceneCut } from '../analysis/scene-detector';
import { decodeFramesInSegments } from './segmented-frame-source';

const SCENE_ANALYSIS_SIDE = SCENE_DEFAULTS.side;

export interface VideoFacts {
  width: number;
  height: number;
  fps: number;
  duration: number;
  frames: number;
  timeOffset: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

export async function analyzeScenes(
  file: string,
  video: VideoFacts,
  params: { threshold: number; min_scene_len: number },
  run: RunOptions = {},
) {
  const detector = new SceneDetector({ adaptiveThreshold: params.threshold, minSceneLen: params.min_scene_len });
  const cuts: SceneCut[] = [];
  let frames = 0;
  let firstTimestamp = 0;
  const size = analysisSize(video.width, video.height, SCENE_ANALYSIS_SIDE);
  const source = decodeFramesInSegments({
    input: file,
    ...size,
    threads: 2,
    // Two taps per output pixel instead of a dozen or more when shrinking 720p/1080p: bilinear cost
    // a third as much as decoding, and the cuts found on our footage are the same, at lower thresholds too.
    scaleFlags: 'fast_bilinear',
    timeOffset: video.timeOffset,
    signal: run.signal,
    frames: video.frames,
    duration: video.duration,
  });
  for await (const frame of source) {
    if (frames === 0) firstTimestamp = frame.timestamp;
    frames++;
    cuts.push(
      ...detector.push({ index: frame.frame, timestamp: frame.timestamp, width: frame.width, height: frame.height, data: frame.data }),
    );
    if (frames % 50 === 0) run.progress?.(Math.min(0.99, frames / video.frames));
  }
  cuts.push(...detector.flush());
  assertDecodedWhole(frames, video);
  return {
    model: 'scene_detection' as const,
    video_fps: video.fps,
    total_frames: frames,
    scenes: scenesFromCuts(cuts, { totalFrames: frames, duration: video.duration, fps: video.fps, firstFrameTimestamp: firstTimestamp }),
  };
}

/**
 * ffmpeg exits 0 on a file that breaks off half-way; the analysis would then describe half a video as
 * if it were whole. More than 10 % and more than 2 s of frames missing is not a rounding difference.
 */
function assertDecodedWhole(decoded: number, video: VideoFacts): void {
  const missing = video.frames - decoded;
  if (missing > Math.max(0.1 * video.frames, 2 * video.fps)) {
    const reached = Math.floor(decoded / video.fps);
    throw new AppError(
      'decode_failed',
      `The video could not be decoded past ${reached} s of ${Math.round(video.duration)} s; the stored file is damaged. Ingest it again.`,
    );
  }
}
