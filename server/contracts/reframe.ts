// The reframe's shapes: the crop path (a zod mirror of workers/analysis/reframe-path.ts, used to
// validate an edited path sent back in `parameters.path`) and the one-shot job's request/response.
// Times are presentation seconds of the source; windows are pixels of the source frame.
import { z } from 'zod';

const px = z.number().finite();
const Window = z.object({ x: px, y: px, w: px.positive(), h: px.positive() });
const Subject = z.number().int().nullable().describe('face_id the window frames, or null');

const SingleScene = z.object({
  start: z.number().min(0),
  end: z.number().min(0),
  layout: z.literal('single'),
  keyframes: z
    .array(Window.extend({ t: z.number().min(0), subject: Subject }))
    .min(1)
    .max(100_000),
});
const SplitScene = z.object({
  start: z.number().min(0),
  end: z.number().min(0),
  layout: z.literal('split'),
  keyframes: z
    .array(
      z.object({
        t: z.number().min(0),
        panes: z
          .array(Window.extend({ subject: Subject }))
          .min(2)
          .max(2),
      }),
    )
    .min(1)
    .max(100_000),
});

export const ReframePathSchema = z
  .object({
    version: z.literal(1).default(1),
    source: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    output: z.object({
      width: z.number().int().min(16).max(4320).multipleOf(2),
      height: z.number().int().min(16).max(4320).multipleOf(2),
    }),
    aspect_ratio: z.string().max(20),
    start: z.number().min(0),
    end: z.number().min(0),
    scenes: z
      .array(z.discriminatedUnion('layout', [SingleScene, SplitScene]))
      .min(1)
      .max(10_000),
  })
  .superRefine((path, ctx) => {
    const { width, height } = path.source;
    const issue = (message: string, at: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path: at });
    if (path.end <= path.start) issue('end must be after start', ['end']);
    const sizes = new Map<string, string>();
    path.scenes.forEach((scene, s) => {
      if (scene.end <= scene.start) issue('a scene must end after it starts', ['scenes', s, 'end']);
      const windows =
        scene.layout === 'single'
          ? scene.keyframes.map((k) => ({ slot: 'single', w: k }))
          : scene.keyframes.flatMap((k) => k.panes.map((p, i) => ({ slot: `pane ${i}`, w: p })));
      for (const { slot, w } of windows) {
        if (w.x < -0.5 || w.y < -0.5 || w.x + w.w > width + 0.5 || w.y + w.h > height + 0.5) {
          return issue(`a ${slot} window leaves the ${width}×${height} source frame`, ['scenes', s]);
        }
        const size = `${Math.round(w.w)}×${Math.round(w.h)}`;
        const known = sizes.get(slot);
        if (known && known !== size) {
          return issue(`every ${slot} window must have one size for the whole path (${known}, not ${size})`, ['scenes', s]);
        }
        sizes.set(slot, size);
      }
    });
  })
  .describe('The crop path: keyframed crop windows per scene (downloadable with suffix=_reframe_path, editable, sendable back)');
export type ReframePathInput = z.infer<typeof ReframePathSchema>;

const ASPECT = /^\s*\d+(\.\d+)?\s*[:/x]\s*\d+(\.\d+)?\s*$/;

/** POST /api/v2/reframe: everything from a URL to a vertical clip in one job. */
export const ReframeJobRequest = z.object({
  url: z.string().min(1).max(4096).describe('http(s) URL of the video'),
  start_time: z.number().min(0).optional().describe('seconds of the source where the clip starts'),
  end_time: z.number().positive().optional().describe('seconds of the source where the clip ends'),
  llm: z.boolean().default(false).describe('let an LLM choose the subject where the heuristic is unsure (reframe_llm)'),
  diarization: z.boolean().default(false).describe('run speaker diarization and use it to confirm who speaks when'),
  aspect_ratio: z.string().max(20).regex(ASPECT, 'aspect_ratio must look like 9:16').default('9:16'),
  layout: z.enum(['single', 'split', 'auto']).default('single'),
  output_height: z.number().int().min(144).max(4320).default(1920),
  callback_url: z.string().max(2048).optional().describe('POSTed when the job completes or fails, signed with X-Signature'),
});
export type ReframeJobRequest = z.infer<typeof ReframeJobRequest>;

export const ReframeJobStatus = z.enum(['processing', 'completed', 'failed']);

export const ReframeJobView = z.object({
  job_id: z.string(),
  status: ReframeJobStatus,
  step: z
    .string()
    .describe('ingesting, detecting_scenes, tracking_faces, detecting_speakers, diarizing, transcribing, rendering, completed or failed'),
  progress: z.number().min(0).max(1),
  video_id: z.string().nullable(),
  download_url: z.string().optional().describe('the reframed MP4 (no further charge)'),
  path_url: z.string().optional().describe('the crop path JSON'),
  credits_charged: z.number().int().optional(),
  warnings: z.array(z.string()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  created_at: z.string(),
  finished_at: z.string().optional(),
});
export type ReframeJobView = z.infer<typeof ReframeJobView>;
