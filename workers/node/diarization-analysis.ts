// Diarization of a local media file: streams its audio (16 kHz mono) through Silero VAD and the MFCC
// features at once and runs the shared diarize(); with an active-speaker result, the faces seen
// speaking set the speaker count and name the face of each speaker. Returns the diarization result.
import { diarize } from '../analysis/diarization';
import { MfccExtractor, normalizeFeatures } from '../analysis/mfcc';
import { speechRegions, VAD_HOP } from '../analysis/silero-vad';
import { countSpeakingFaces, linkSpeakers, type ActiveSpeakerResult, type LinkedSegment } from '../analysis/speaker-linking';
import { decodeAudio } from './audio-source';
import type { RunOptions } from './scene-analysis';
import { vadProbabilities } from './vad';

export interface DiarizationParams {
  /** Exact number of speakers when known. */
  numSpeakers?: number;
  /** Bounds for the estimated count. Defaults 1 and 6. */
  minSpeakers?: number;
  maxSpeakers?: number;
  /** A stored active-speaker result for the same file, if any. */
  activeSpeaker?: ActiveSpeakerResult;
}

export interface DiarizationResult {
  model: 'diarization';
  speakers: { speaker: string; face_id?: number; total_speech: number }[];
  segments: LinkedSegment[];
}

export async function analyzeDiarization(file: string, params: DiarizationParams = {}, run: RunOptions = {}): Promise<DiarizationResult> {
  const { minSpeakers = 1, maxSpeakers = 6, activeSpeaker } = params;
  // One streamed decode feeds the VAD and the features: the samples themselves are never all held.
  const extractor = new MfccExtractor();
  async function* measured() {
    for await (const chunk of decodeAudio(file, { signal: run.signal })) {
      extractor.push(chunk);
      yield chunk;
    }
  }
  const probabilities = await vadProbabilities(measured(), run.signal);
  run.progress?.(0.5);
  const regions = speechRegions(probabilities, VAD_HOP);
  const features = normalizeFeatures(extractor.finish());
  const faces = activeSpeaker ? countSpeakingFaces(activeSpeaker) : 0;
  const prior = faces >= minSpeakers && faces <= maxSpeakers ? faces : undefined;
  let segments: LinkedSegment[] = diarize(features, regions, { numSpeakers: params.numSpeakers ?? prior, minSpeakers, maxSpeakers });
  if (activeSpeaker) segments = linkSpeakers(segments, activeSpeaker);
  run.progress?.(0.99);
  return { model: 'diarization', speakers: summarize(segments), segments };
}

function summarize(segments: readonly LinkedSegment[]): DiarizationResult['speakers'] {
  const out = new Map<string, DiarizationResult['speakers'][number]>();
  for (const s of segments) {
    const entry = out.get(s.speaker) ?? { speaker: s.speaker, ...(s.face_id !== undefined ? { face_id: s.face_id } : {}), total_speech: 0 };
    entry.total_speech = Math.round((entry.total_speech + s.end - s.start) * 1000) / 1000;
    out.set(s.speaker, entry);
  }
  return [...out.values()];
}
