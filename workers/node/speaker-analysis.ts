// Active speaker over a local video file: for every analysed frame and every face track visible then,
// the face mesh (onnxruntime-node, on worker threads: face-mesh-lanes.ts) on a crop around the
// track's interpolated box, or around its mesh in the previous frame, gives a mouth-open ratio; frames
// are decoded to YUV no larger than the faces need. The audio gives an RMS envelope and Silero VAD
// probabilities; the shared pure fusion (workers/analysis/active-speaker.ts) returns the result.
import {
  activeSpeaker,
  RmsEnvelope,
  type ActiveSpeakerInput,
  type ActiveSpeakerOptions,
  type MouthSample,
} from '../analysis/active-speaker';
import { SPEAKER_DEFAULTS } from '../analysis/analysis-settings';
import { meshDecodeSide } from '../analysis/face-mesh-crop';
import { analysisSize } from '../analysis/frame-decoding';
import type { FaceTrackingResult } from '../analysis/face-tracking-result';
import { VAD_HOP, VAD_SAMPLE_RATE } from '../analysis/silero-vad';
import { decodeAudio } from './audio-source';
import { FaceMeshLanes } from './face-mesh-lanes';
import type { RunOptions, VideoFacts } from './scene-analysis';
import { vadProbabilities } from './vad';
import { decodeYuvFrames } from './yuv-frame-source';

export interface ActiveSpeakerParams {
  /** Frames analysed per second: the mouth moves too fast for less than 12.5 (the envelope's 40 ms hop
   *  is matched at 25). */
  sample_fps: number;
}

/** Frames are decoded no wider than this (smaller when the faces are large enough: meshDecodeSide). */
const SPEAKER_ANALYSIS_SIDE = SPEAKER_DEFAULTS.side;
/** Seconds per value of the audio envelope the mouth is correlated with. */
const ENVELOPE_HOP = SPEAKER_DEFAULTS.envelope_hop;

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
  const audio = audioSignals(file, run.signal);
  // Awaited after the frame loop; should the loop throw first, its failure must not go unhandled.
  audio.catch(() => undefined);

  const size = analysisSize(
    video.width,
    video.height,
    meshDecodeSide(
      faceTracking.tracks.map((t) => t.detections),
      Math.max(video.width, video.height),
      SPEAKER_ANALYSIS_SIDE,
    ),
  );
  const tracks = faceTracking.tracks.filter((t) => t.detections.length);
  const lanes = new FaceMeshLanes(tracks, {
    sx: size.width / video.width,
    sy: size.height / video.height,
    tolerance: 0.5 / faceTracking.sample_fps,
  });
  let meshed: MouthSample[][];
  try {
    const expected = Math.max(1, Math.ceil(video.duration * params.sample_fps));
    let analysed = 0;
    const frames = decodeYuvFrames({
      input: file,
      ...size,
      sampleFps: params.sample_fps,
      threads: 2,
      timeOffset: video.timeOffset,
      signal: run.signal,
    });
    // Without a face there is nothing to mesh: the frames are not decoded at all.
    for await (const frame of tracks.length ? frames : []) {
      await lanes.push(frame);
      if (++analysed % 10 === 0) run.progress?.(Math.min(0.95, (0.95 * analysed) / expected));
    }
    meshed = await lanes.finish();
  } finally {
    await lanes.close();
  }
  const { envelope, vad } = await audio;
  return {
    video_fps: video.fps,
    total_frames: video.frames,
    tracks: tracks.map((t, i) => ({ face_id: t.face_id, samples: meshed[i]! })).filter((t) => t.samples.length),
    envelope,
    envelopeHop: ENVELOPE_HOP,
    vad,
    vadHop: VAD_HOP,
  };
}

/** The audio's envelope and VAD from one streamed decode: the samples themselves are never all held
 *  (16 kHz float is 230 MB an hour). */
async function audioSignals(file: string, signal?: AbortSignal) {
  const envelope = new RmsEnvelope(VAD_SAMPLE_RATE, ENVELOPE_HOP);
  async function* measured() {
    for await (const chunk of decodeAudio(file, { sampleRate: VAD_SAMPLE_RATE, signal })) {
      envelope.push(chunk);
      yield chunk;
    }
  }
  const vad = await vadProbabilities(measured(), signal);
  return { envelope: envelope.finish(), vad };
}
