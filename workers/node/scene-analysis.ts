// Scene detection over a local video file: decodes every frame small (longer side 160 px) and runs
// the shared SceneDetector. Used by the scene_detection step and by the benchmark.
// Returns `{ model, video_fps, total_frames, scenes }`.
import { analysisSize } from '../analysis/frame-decoding';
import { SceneDetector, scenesFromCuts, type SceneCut } from '../analysis/scene-detector';
import { decodeFrames } from './frame-source';

export const SCENE_ANALYSIS_SIDE = 160;

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
  for await (const frame of decodeFrames({ input: file, ...size, threads: 2, timeOffset: video.timeOffset, signal: run.signal })) {
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
