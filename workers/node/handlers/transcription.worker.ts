// The `analyze:transcription` step: speech to timed words with the configured engine (PocketSphinx
// by default, whisper.cpp when set up), grouped into segments at pauses and at speaker changes of a
// stored diarization result when there is one; stored as `results/transcription.json`.
import { z } from 'zod';
import { TranscriptionParams } from '../../../server/jobs/steps';
import type { Storage } from '../../../server/repositories/storage';
import { videoKeys } from '../../../server/repositories/storage';
import { type SpeakerTurn, type TranscriptSegment, transcriptSegments } from '../../analysis/transcript-segments';
import type { StepHandler } from '../step-handler';
import { transcriptionEngine } from '../transcription-engines';
import { loadIngestedVideo } from './load-ingested-video';

export interface TranscriptionResult {
  model: 'transcription';
  language: string;
  engine: string;
  segments: TranscriptSegment[];
}

export const transcriptionHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const params = TranscriptionParams.parse(step.params ?? {});
  const video = await loadIngestedVideo(step.videoId);
  const engine = transcriptionEngine();
  const transcript = await storage.withLocalFile(video.sourceKey, (file) =>
    engine.transcribe(file, { signal, language: params.language, progress: (f) => progress(0.95 * f) }),
  );
  const turns = await storedSpeakerTurns(storage, step.videoId);
  const result: TranscriptionResult = {
    model: 'transcription',
    language: transcript.language,
    engine: engine.name,
    segments: transcriptSegments(transcript.words, { turns }),
  };
  const key = videoKeys.result(step.videoId, 'transcription');
  await storage.write(key, JSON.stringify(result));
  progress(1);
  return { status: 'completed', resultKey: key };
};

const DiarizationResult = z.object({
  segments: z.array(z.object({ start: z.number(), end: z.number(), speaker: z.union([z.string(), z.number()]) })),
});

/**
 * Speaker turns of a stored diarization result. Transcription does not depend on diarization, so a
 * missing or unreadable one leaves segments without speakers rather than failing the step.
 */
async function storedSpeakerTurns(storage: Storage, videoId: string): Promise<SpeakerTurn[]> {
  const key = videoKeys.result(videoId, 'diarization');
  if (!(await storage.stat(key))) return [];
  let json: unknown;
  try {
    json = JSON.parse((await storage.read(key)).toString('utf8'));
  } catch {
    return [];
  }
  const parsed = DiarizationResult.safeParse(json);
  return parsed.success ? parsed.data.segments : [];
}
