// The `transform:reframe` and `transform:reframe_llm` steps: plan the camera from the stored analyses
// (or take an edited path as given), store the path as `outputs/reframe_path.json`, then render
// `outputs/reframe.mp4` in one ffmpeg pass. reframe_llm lets an LLM pick the subject where the plan is
// unsure, and falls back to the heuristic plan (with a warning) when no LLM is configured or it fails.
import { env } from '../../../server/env';
import { ReframeParams } from '../../../server/jobs/steps';
import type { Storage } from '../../../server/repositories/storage';
import { videoKeys } from '../../../server/repositories/storage';
import type { ActiveSpeakerResult } from '../../analysis/active-speaker';
import { planCamera, type CameraPlanInput } from '../../analysis/camera-planner';
import type { FaceTrackingResult } from '../../analysis/face-tracking-result';
import type { ReframePath } from '../../analysis/reframe-path';
import { chooseSubjects } from '../llm-subjects';
import { renderVideo } from '../render-video';
import type { StepHandler, StepOutcome } from '../step-handler';
import { loadIngestedVideo } from './load-ingested-video';

export const OUTPUT_VIDEO = 'reframe.mp4';
export const OUTPUT_PATH = 'reframe_path.json';

export const reframeHandler =
  (withLlm: boolean): StepHandler =>
  async ({ step, storage, signal, progress }) => {
    const params = ReframeParams.parse(step.params);
    const video = await loadIngestedVideo(step.videoId);
    const start = params.start_time ?? 0;
    if (start >= video.duration) {
      return failed('invalid_time_range', `start_time ${start} s is beyond the video’s end (${video.duration.toFixed(2)} s).`);
    }
    const warnings: string[] = [];
    let cropPath: ReframePath;
    if (params.path) {
      cropPath = params.path as ReframePath;
      const { width, height } = cropPath.source;
      if (width !== video.width || height !== video.height) {
        return failed('invalid_path', `The path was made for a ${width}×${height} source; this video is ${video.width}×${video.height}.`);
      }
      if (cropPath.start >= video.duration) return failed('invalid_path', 'The path starts after the video ends.');
      cropPath = { ...cropPath, end: Math.min(cropPath.end, video.duration) };
    } else {
      const faces = await readResult<FaceTrackingResult>(storage, step.videoId, 'face_tracking_yolov8');
      if (!faces) return failed('missing_dependency', 'The reframe needs a face_tracking_yolov8 result.');
      const input: CameraPlanInput = {
        source: { width: video.width, height: video.height, duration: video.duration },
        faces,
        scenes: (await readResult<{ scenes: { start: number; end: number }[] }>(storage, step.videoId, 'scene_detection'))?.scenes,
        speakers: await readResult<ActiveSpeakerResult>(storage, step.videoId, 'active_speaker'),
        diarization: params.diarization ? await readResult(storage, step.videoId, 'diarization') : undefined,
      };
      const options = {
        aspectRatio: params.aspect_ratio,
        layout: params.layout,
        outputHeight: params.output_height,
        allowUpscale: params.allow_upscale,
        start,
        end: Math.min(params.end_time ?? video.duration, video.duration),
      };
      let plan = planCamera(input, options);
      if (withLlm) {
        const transcript = await readResult<{ segments: { start: number; end: number; text: string; speaker?: string }[] }>(
          storage,
          step.videoId,
          'transcription',
        );
        const choice = await chooseSubjects({ ...input, uncertain: plan.uncertain, transcript }, signal);
        warnings.push(...choice.warnings);
        if (choice.pins.length) plan = planCamera({ ...input, pins: choice.pins }, options);
      }
      cropPath = plan.path;
    }
    progress(0.05);
    await storage.write(videoKeys.output(step.videoId, OUTPUT_PATH), JSON.stringify(cropPath));

    const outputKey = videoKeys.output(step.videoId, OUTPUT_VIDEO);
    await storage.withLocalFile(video.sourceKey, (input) =>
      storage.withOutputFile(outputKey, (output) =>
        renderVideo({
          input,
          output,
          path: cropPath,
          hasAudio: video.hasAudio,
          fps: video.fps,
          crf: params.crf ?? env.RENDER_CRF,
          preset: params.preset ?? env.RENDER_PRESET,
          timeOffset: video.timeOffset,
          signal,
          progress: (f) => progress(0.05 + 0.95 * f),
        }),
      ),
    );
    return { status: 'completed', resultKey: outputKey, ...(warnings.length ? { warnings } : {}) };
  };

const failed = (code: string, message: string): StepOutcome => ({ status: 'failed', code, message });

async function readResult<T>(storage: Storage, videoId: string, model: string): Promise<T | undefined> {
  const key = videoKeys.result(videoId, model);
  if (!(await storage.stat(key))) return undefined;
  return JSON.parse((await storage.read(key)).toString('utf8')) as T;
}
