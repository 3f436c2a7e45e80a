// Step name → handler. Every kind in server/jobs/steps.ts has exactly one entry here.
import type { ProvidedStepKind } from '../../../server/jobs/steps';
import type { StepHandler } from '../step-handler';
import { ingestHandler } from './ingest.worker';

export const handlers: Record<ProvidedStepKind, StepHandler> = {
  ingest: ingestHandler,
};
