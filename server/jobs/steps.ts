// The step kinds this build provides, with their payload schemas, and the rule for what runs next.
// The API refuses (422 unknown_model_type) any analyze/transform kind not listed here; the worker
// registers one handler per listed kind (workers/node/handlers/).
import { z } from 'zod';
import type { StepKind } from '../contracts/steps';

export const IngestPayload = z.object({
  /** The URL to download; absent when the file was uploaded and is already in storage. */
  url: z.string().optional(),
  /** Storage key of the uploaded source. */
  sourceKey: z.string().optional(),
});
export type IngestPayload = z.infer<typeof IngestPayload>;

export const STEP_PAYLOADS = {
  ingest: IngestPayload,
} as const satisfies Partial<Record<StepKind, z.ZodType>>;

export type ProvidedStepKind = keyof typeof STEP_PAYLOADS;

export function isProvidedStep(kind: string): kind is ProvidedStepKind {
  return Object.hasOwn(STEP_PAYLOADS, kind);
}

/** Steps that must have completed before `kind` may start (ingest precedes everything). */
export function prerequisitesOf(kind: StepKind): StepKind[] {
  return kind === 'ingest' ? [] : ['ingest'];
}
