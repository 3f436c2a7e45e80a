// Scene detection over a local video file: decodes every frame small (longer side 96 px), long
// videos in segments by two ffmpeg processes at once, and runs the shared SceneDetector. Used by the
// scene_detection step and by the benchmark.
// Returns `{ model, video_fps, total_frames, scenes }`.
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
  return {
    model: 'scene_detection' as const,
    video_fps: video.fps,
    total_frames: frames,
    scenes: scenesFromCuts(cuts, { totalFrames: frames, duration: video.duration, fps: video.fps, firstFrameTimestamp: firstTimestamp }),
  };
}
