// Active speaker over a local video file: for every analysed frame and every face track visible then,
// the face mesh (onnxruntime-node) on a crop around the track's interpolated box, or around its mesh
// in the previous frame, gives a mouth-open ratio; the audio gives an RMS envelope and Silero VAD
// probabilities; the shared pure fusion (workers/analysis/active-speaker.ts) returns the result.
import * as ort from 'onnxruntime-node';
import {
  activeSpeaker,
  rmsEnvelope,
  type ActiveSpeakerInput,
  type ActiveSpeakerOptions,
  type MouthSample,
} from '../analysis/active-speaker';
import {
  boxAt,
  faceMeshCrop,
  FACE_MESH_SIZE,
  fillFaceMeshTensor,
  followCrop,
  meshCrop,
  meshToFrame,
  scaleBox,
  type MeshCrop,
} from '../analysis/face-mesh-crop';
import { analysisSize } from '../analysis/frame-decoding';
import type { FaceTrackingResult } from '../analysis/face-tracking-result';
import { mouthOpenRatio } from '../analysis/mouth';
import { VAD_HOP, VAD_SAMPLE_RATE } from '../analysis/silero-vad';
import { readAudio } from './audio-source';
import { decodeFrames } from './frame-source';
import { loadModel } from './onnx-models';
import type { RunOptions, VideoFacts } from './scene-analysis';
import { vadProbabilities } from './vad';

export interface ActiveSpeakerParams {
  /** Frames analysed per second: the mouth moves too fast for less than 12.5 (the envelope's 40 ms hop
   *  is matched at 25). */
  sample_fps: number;
}

/** Frames are decoded no wider than this: faces in a 1280-wide frame keep ≥ ~100 px in usual shots,
 *  and the mesh sees a 192-px crop anyway. */
export const SPEAKER_ANALYSIS_SIDE = 1280;
/** Seconds per value of the audio envelope the mouth is correlated with. */
export const ENVELOPE_HOP = 0.04;
/** Below this face-presence probability the mesh is guessing; the sample is left out. */
const MIN_PRESENCE = 0.5;

export async function analyzeActiveSpeaker(
  file: string,
  video: VideoFacts,
  faceTracking: FaceTrackingResult,
  params: ActiveSpeakerParams,
  run: RunOptions = {},
  options: ActiveSpeakerOptions = {},
) {
  return activeSpeaker(await speakerSignals(file, video, faceTracking, params, run), options);
}

/** The fusion's input: mouth ratios per track and analysed frame, the audio envelope and VAD. */
export async function speakerSignals(
  file: string,
  video: VideoFacts,
  faceTracking: FaceTrackingResult,
  params: ActiveSpeakerParams,
  run: RunOptions = {},
): Promise<ActiveSpeakerInput> {
  // Audio runs alongside the frame loop; both finish before the fusion.
  const audio = readAudio(file, { sampleRate: VAD_SAMPLE_RATE, signal: run.signal });
  const vad = audio.then((samples) => vadProbabilities(samples, run.signal));
  // Awaited after the frame loop; should the loop throw first, their failures must not go unhandled.
  audio.catch(() => undefined);
  vad.catch(() => undefined);

  const session = await loadModel('face_landmark');
  const [inputName] = session.inputNames;
  const tensor = new Float32Array(FACE_MESH_SIZE * FACE_MESH_SIZE * 3);
  const tolerance = 0.5 / faceTracking.sample_fps;
  const tracks = faceTracking.tracks.map((t) => ({
    face_id: t.face_id,
    detections: t.detections,
    samples: [] as MouthSample[],
    /** The crop around this track's mesh in the previous analysed frame. */
    previous: null as MeshCrop | null,
  }));
  const size = analysisSize(video.width, video.height, SPEAKER_ANALYSIS_SIDE);
  const sx = size.width / video.width;
  const sy = size.height / video.height;
  const expected = Math.max(1, Math.ceil(video.duration * params.sample_fps));
  let analysed = 0;
  const frames = decodeFrames({
    input: file,
    ...size,
    sampleFps: params.sample_fps,
    threads: 2,
    timeOffset: video.timeOffset,
    signal: run.signal,
  });
  for await (const frame of frames) {
    for (const track of tracks) {
      const box = boxAt(track.detections, frame.timestamp, tolerance);
      if (!box) {
        track.previous = null;
        continue;
      }
      const crop = followCrop(faceMeshCrop(scaleBox(box, sx, sy)), track.previous);
      fillFaceMeshTensor(frame.data, frame.width, frame.height, crop, FACE_MESH_SIZE, tensor);
      const out = await session.run({ [inputName!]: new ort.Tensor('float32', tensor, [1, FACE_MESH_SIZE, FACE_MESH_SIZE, 3]) });
      const mesh = meshToFrame(out.conv2d_21!.data as Float32Array, crop);
      const presence = 1 / (1 + Math.exp(-(out.conv2d_31!.data as Float32Array)[0]!));
      const found = presence >= MIN_PRESENCE;
      track.samples.push({ timestamp: frame.timestamp, frame_number: frame.frame, ratio: found ? mouthOpenRatio(mesh) : null });
      track.previous = found ? meshCrop(mesh) : null;
    }
    if (++analysed % 10 === 0) run.progress?.(Math.min(0.95, (0.95 * analysed) / expected));
  }
  const samples = await audio;
  return {
    video_fps: video.fps,
    total_frames: video.frames,
    tracks: tracks.filter((t) => t.samples.length).map(({ face_id, samples }) => ({ face_id, samples })),
    envelope: rmsEnvelope(samples, VAD_SAMPLE_RATE, ENVELOPE_HOP),
    envelopeHop: ENVELOPE_HOP,
    vad: await vad,
    vadHop: VAD_HOP,
  };
}
