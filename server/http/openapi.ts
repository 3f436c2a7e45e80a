// The OpenAPI 3.1 document of /api/v2, generated from the zod contracts (server/contracts/api.ts),
// so validation and documentation cannot drift apart. Served at /api/v2/openapi.json.
import { z } from 'zod';
import * as api from '../contracts/api';
import * as reframe from '../contracts/reframe';
import * as results from '../contracts/results';

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const ERROR_SCHEMA: Record<number, string> = { 402: 'InsufficientCredits', 429: 'RetryLater', 503: 'RetryLater' };
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before the next request', schema: { type: 'integer' } } };
// Every authenticated operation can answer 429 (the rate limit counts each API key's requests) and
// 503 (it reads the database); both say when to try again.
const errors = (...codes: number[]) =>
  Object.fromEntries(
    [...codes, 429, 503].map((c) => [
      String(c),
      { description: ERROR_TEXT[c], ...(c === 429 || c === 503 ? { headers: retryAfter } : {}), ...jsonBody(ERROR_SCHEMA[c] ?? 'Error') },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Unparseable body',
  401: 'Missing, invalid or revoked API key',
  402: 'Not enough credits',
  404: 'Unknown id, or a resource of another account',
  409: 'A step of this kind is already queued or running, or the video is not ready',
  413: 'Body larger than the limit',
  415: 'Unsupported content type',
  422: 'Invalid request (validation_error, unknown_model_type, url_not_allowed, …)',
  429: 'rate_limited: this API key sent more than RATE_LIMIT_PER_MINUTE requests in the last minute',
  503: 'database_unavailable: the database cannot be reached right now; retry after Retry-After seconds',
  507: 'storage_full: the storage volume has no room for the file; nothing was stored',
};
const videoId = { name: 'video_id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reframe API',
      version: '2.0.0',
      description:
        'Turn landscape talking-head video into vertical clips that follow the speaker. Every step is asynchronous: start it, then poll /status/{video_id}. Credits: 1 per second of source video, charged once per video at its first download.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk-…' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        Error: schemaOf(api.ErrorBody),
        InsufficientCredits: schemaOf(api.InsufficientCredits),
        RetryLater: schemaOf(api.RetryLater),
        IngestUrlRequest: schemaOf(api.IngestUrlRequest, 'input'),
        IngestResponse: schemaOf(api.IngestResponse),
        AnalyzeRequest: schemaOf(api.AnalyzeRequest, 'input'),
        TransformRequest: schemaOf(api.TransformRequest, 'input'),
        StepAccepted: schemaOf(api.StepAccepted),
        Step: schemaOf(api.StepView),
        Status: schemaOf(api.StatusResponse),
        Video: schemaOf(api.VideoView),
        ReframeJobRequest: schemaOf(reframe.ReframeJobRequest, 'input'),
        ReframeJob: schemaOf(reframe.ReframeJobView),
        ReframePath: schemaOf(reframe.ReframePathSchema, 'input'),
        WebhookSecret: schemaOf(api.WebhookSecretResponse),
        VideoList: schemaOf(api.VideoList),
        Account: schemaOf(api.AccountResponse),
        SceneDetectionResult: schemaOf(results.SceneDetectionResult),
        FaceTrackingResult: schemaOf(results.FaceTrackingResult),
        ActiveSpeakerResult: schemaOf(results.ActiveSpeakerResult),
        TranscriptionResult: schemaOf(results.TranscriptionResult),
        DiarizationResult: schemaOf(results.DiarizationResult),
      },
    },
    paths: {
      '/api/v2/ingest': {
        post: {
          summary: 'Ingest a video by URL or upload',
          description: 'Returns the video_id at once; the download and probe run as the `ingest` step.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('IngestUrlRequest') },
              'multipart/form-data': {
                schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
              },
            },
          },
          responses: { '202': { description: 'Accepted', ...jsonBody('IngestResponse') }, ...errors(400, 401, 413, 415, 422, 507) },
        },
      },
      '/api/v2/analyze': {
        post: {
          summary: 'Start an analysis step',
          description:
            'scene_detection parameters: threshold (default 3), min_scene_len (seconds, default 0.6). face_tracking_yolov8 parameters: sample_fps (default 10), min_face_size (source pixels, default 0), detector (full_range — BlazeFace full range, the default; short_range; yolov8 when the deployment sets FACE_MODEL=yolov8:/path.onnx). active_speaker (needs a completed face_tracking_yolov8 result, else 409 missing_dependency) parameters: face_tracking_model (face_tracking_yolov8), sample_fps (default 25, at least 12.5). transcription parameters: language (en). diarization parameters: num_speakers (when known), min_speakers (1), max_speakers (6); with an active_speaker result the speaking faces set the count and each speaker gets its face_id. The offline default transcription engine is PocketSphinx; whisper.cpp is used when the deployment sets WHISPER_CPP_BIN and WHISPER_MODEL.',
          requestBody: { required: true, ...jsonBody('AnalyzeRequest') },
          responses: { '202': { description: 'Queued', ...jsonBody('StepAccepted') }, ...errors(400, 401, 404, 409, 422) },
        },
      },
      '/api/v2/transform': {
        post: {
          summary: 'Start a transform step (reframe, reframe_llm)',
          description:
            'reframe parameters: aspect_ratio (9:16 default, 1:1, 4:5, 16:9 or any W:H), layout (single default, split: two speakers stacked, auto: per scene), start_time/end_time (seconds of the source), output_height (default 1920; never more than the crop has in the source unless allow_upscale), crf/preset (libx264), diarization (use a diarization result), auto_analyze (default true: run the missing scene_detection, face_tracking_yolov8 and active_speaker steps first; false: 409 missing_dependency when they are missing), path (an edited crop path, as downloaded with suffix=_reframe_path: rendered as given, see the ReframePath schema). reframe_llm takes the same parameters and lets the configured LLM (LLM_BASE_URL) choose the subject where the heuristic is unsure; without one it uses the heuristic plan and says so in the step’s warnings. Outputs: download suffix=_reframe (MP4) and suffix=_reframe_path (the crop path JSON).',
          requestBody: { required: true, ...jsonBody('TransformRequest') },
          responses: { '202': { description: 'Queued', ...jsonBody('StepAccepted') }, ...errors(400, 401, 404, 409, 422) },
        },
      },
      '/api/v2/reframe': {
        post: {
          summary: 'One-shot job: URL in, reframed clip out',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              schema: { type: 'string', maxLength: 200 },
              description: 'A repeated request with the same key returns the first job (422 idempotency_conflict if its body differs).',
            },
          ],
          description:
            'Runs ingest → scene_detection → face_tracking_yolov8 → active_speaker (→ diarization) → reframe in the worker; poll GET /api/v2/reframe/{job_id} or pass callback_url. Credits: 402 at once when the balance is empty (or below end_time − start_time); once the clip’s duration is known a short balance fails the job with insufficient_credits. floor(clip seconds) credits are charged once, when the job completes (never for a failed job), and the output’s download does not charge again. The callback is a POST of the job JSON plus `event` (job.completed or job.failed), with X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the account’s webhook secret (GET /api/v2/account/webhook-secret)>, retried with backoff.',
          requestBody: { required: true, ...jsonBody('ReframeJobRequest') },
          responses: { '202': { description: 'Accepted', ...jsonBody('ReframeJob') }, ...errors(400, 401, 402, 422) },
        },
      },
      '/api/v2/reframe/{job_id}': {
        get: {
          summary: 'A one-shot job: status, stage, progress, download URL',
          parameters: [{ name: 'job_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Job', ...jsonBody('ReframeJob') }, ...errors(401, 404) },
        },
      },
      '/api/v2/account/webhook-secret': {
        get: {
          summary: 'The secret that signs your callbacks (created on first use)',
          responses: { '200': { description: 'Secret', ...jsonBody('WebhookSecret') }, ...errors(401) },
        },
        post: {
          summary: 'Replace the webhook secret (callbacks are signed with the new one from now on)',
          responses: { '200': { description: 'Secret', ...jsonBody('WebhookSecret') }, ...errors(401) },
        },
      },
      '/api/v2/status/{video_id}': {
        get: {
          summary: "A video's latest step and all its steps",
          parameters: [videoId],
          responses: { '200': { description: 'Status', ...jsonBody('Status') }, ...errors(401, 404) },
        },
      },
      '/api/v2/videos': {
        get: {
          summary: 'List videos, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'Videos', ...jsonBody('VideoList') }, ...errors(401, 422) },
        },
      },
      '/api/v2/videos/{video_id}': {
        get: {
          summary: 'One video',
          parameters: [videoId],
          responses: { '200': { description: 'Video', ...jsonBody('Video') }, ...errors(401, 404) },
        },
      },
      '/api/v2/videos/{video_id}/results/{model_type}': {
        get: {
          summary: 'The result of a completed analysis',
          parameters: [
            videoId,
            { name: 'model_type', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'format',
              in: 'query',
              schema: { type: 'string', enum: ['json', 'rttm'] },
              description: 'rttm: a diarization result as RTTM text',
            },
          ],
          description:
            'Times are presentation times in seconds from the start of the file, frame numbers count decoded frames from 0, and boxes are [x, y, width, height] in pixels of the source frame.',
          responses: {
            '200': {
              description: 'The result JSON of that model',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      ref('SceneDetectionResult'),
                      ref('FaceTrackingResult'),
                      ref('ActiveSpeakerResult'),
                      ref('TranscriptionResult'),
                      ref('DiarizationResult'),
                    ],
                  },
                },
              },
            },
            ...errors(401, 404),
          },
        },
      },
      '/api/v2/download/{video_id}': {
        get: {
          summary: 'Download an output (charges floor(duration) credits once per video)',
          parameters: [
            videoId,
            { name: 'suffix', in: 'query', schema: { type: 'string', default: '_reframe', enum: ['_reframe', '_reframe_path'] } },
          ],
          description:
            '_reframe: the rendered MP4; _reframe_path: the crop path JSON (schema ReframePath), editable and sendable back as parameters.path.',
          responses: {
            '200': { description: 'The file', content: { 'video/mp4': {}, 'application/json': {} } },
            '206': { description: 'A byte range of the file (Range requests)' },
            ...errors(401, 402, 404),
            '416': { description: 'Range not satisfiable' },
          },
        },
      },
      '/api/v2/account': {
        get: {
          summary: 'Balance and recent ledger',
          responses: { '200': { description: 'Account', ...jsonBody('Account') }, ...errors(401) },
        },
      },
      '/api/v2/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
