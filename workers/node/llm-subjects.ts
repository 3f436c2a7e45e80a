// reframe_llm's subject choice: when the camera plan has unsure stretches, asks the configured LLM
// (LLM_BASE_URL, an OpenAI-compatible endpoint) who to frame in each, from a compact description.
// Returns the pins for the planner, or none plus a warning when there is no LLM or it fails.
import { LlmError, chatJson, llmConfigFromEnv, type LlmConfig } from '../../server/repositories/llm-client.repository';
import type { CameraPlanInput, UncertainSegment } from '../analysis/camera-planner';
import { buildSubjectPrompt, parseSubjectAnswer } from '../analysis/llm-subject-prompt';

export interface SubjectChoice {
  pins: { start: number; end: number; face_id: number }[];
  warnings: string[];
}

export async function chooseSubjects(
  input: CameraPlanInput & {
    uncertain: UncertainSegment[];
    transcript?: { segments: { start: number; end: number; text: string; speaker?: string }[] };
  },
  signal?: AbortSignal,
  config: LlmConfig | null = llmConfigFromEnv(),
): Promise<SubjectChoice> {
  if (!input.uncertain.length) return { pins: [], warnings: [] };
  if (!config) {
    return {
      pins: [],
      warnings: [`No LLM is configured (LLM_BASE_URL), so the heuristic plan was used for ${input.uncertain.length} unsure segment(s).`],
    };
  }
  const { messages, omitted } = buildSubjectPrompt({
    uncertain: input.uncertain,
    faces: input.faces,
    speakers: input.speakers,
    diarization: input.diarization,
    transcript: input.transcript,
    source: input.source,
  });
  try {
    const pins = await chatJson({ ...config, messages, parse: (text) => parseSubjectAnswer(text, input.uncertain), signal });
    const note = omitted ? [`${omitted} short unsure segment(s) did not fit in the LLM prompt and kept the heuristic choice.`] : [];
    return { pins, warnings: note };
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = error instanceof LlmError ? error.message : 'an unexpected error';
    return { pins: [], warnings: [`The LLM could not choose the subjects (${why}), so the heuristic plan was used.`] };
  }
}
