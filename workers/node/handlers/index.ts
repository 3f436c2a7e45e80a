// Step name → handler. Every kind in server/jobs/steps.ts has exactly one entry here.
import type { ProvidedStepKind } from '../../../server/jobs/steps';
import type { StepHandler } from '../step-handler';
import { activeSpeakerHandler } from './active-speaker.worker';
import { diarizationHandler } from './diarization.worker';
import { faceTrackingHandler } from './face-tracking.worker';
import { ingestHandler } from './ingest.worker';
import { sceneDetectionHandler } from './scene-detection.worker';
import { reframeHandler } from './reframe.worker';
import { transcriptionHandler } from './transcription.worker';
import { webhookHandler } from './webhook.worker';

export const handlers: Record<ProvidedStepKind, StepHandler> = {
  ingest: ingestHandler,
  'analyze:scene_detection': sceneDetectionHandler,
  'analyze:face_tracking_yolov8': faceTrackingHandler,
  'analyze:transcription': transcriptionHandler,
  'analyze:diarization': diarizationHandler,
  'analyze:active_speaker': activeSpeakerHandler,
  'transform:reframe': reframeHandler(false),
  'transform:reframe_llm': reframeHandler(true),
  webhook: webhookHandler,
};
