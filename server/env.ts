// The only reader of process.env: every setting the service has, validated once with zod.
// Fed by the process environment (scripts/serve.ts, the worker, tests); returns a frozen `env`.
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', ''])
  .default('0')
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  NODE_ENV: z.string().default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Where videos, results and outputs live (the local storage driver's root). */
  DATA_DIR: z.string().default('./data'),
  /** `file:./data/app.db` (SQLite, default) or `postgresql://…`. */
  DATABASE_URL: z.string().optional(),
  /** Steps one worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** `embedded` runs steps inside the web process; `none` leaves them to `npm run worker`. Unset: `embedded`, or `none` with QUEUE=bullmq. */
  WORKER_MODE: z.enum(['embedded', 'none']).optional(),
  /** `embedded`: the steps table is the queue (one machine); `bullmq`: steps are handed out by BullMQ on Redis (scale-out). */
  QUEUE: z.enum(['embedded', 'bullmq']).default('embedded'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** The prefix of BullMQ's Redis keys, so that deployments (or tests) sharing one Redis stay apart. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default('reframe'),
  /** `local`: files under DATA_DIR; `s3`: an S3-compatible bucket (S3_BUCKET, S3_ENDPOINT, credentials). */
  STORAGE: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().optional(),
  /** Unset: AWS S3 itself; otherwise the endpoint of an S3-compatible server (`http://minio:9000`). */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** `1` addresses the bucket as a path (`endpoint/bucket/key`), which MinIO and most self-hosted servers need. */
  S3_FORCE_PATH_STYLE: bool,
  /** A step still running after this long is aborted (and retried while attempts remain). */
  STEP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(2 * 60 * 60 * 1000),
  STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Largest upload or URL download, in bytes (2 GiB). */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(2 * 1024 * 1024 * 1024),
  /** A URL download that takes longer than this fails with `download_timeout`. */
  DOWNLOAD_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30 * 60 * 1000),
  /** `1` allows URLs on private/loopback addresses; a comma list of CIDRs allows just those. */
  ALLOW_PRIVATE_URLS: z.string().default('0'),
  /** Credits granted to a new account. */
  SIGNUP_CREDITS: z.coerce.number().int().min(0).default(300),
  /** A deployment's own face detector: `yolov8:/path/to/yolov8-face.onnx`. Empty: BlazeFace (built in). */
  FACE_MODEL: z
    .string()
    .regex(/^(yolov8:.+)?$/, 'use yolov8:/path/to/model.onnx')
    .default(''),
  /** `1` marks session cookies Secure even when the request itself is plain http. */
  COOKIE_SECURE: bool,
  /** A whisper.cpp command-line binary (`whisper-cli`); with WHISPER_MODEL it replaces PocketSphinx for transcription. */
  WHISPER_CPP_BIN: z.string().optional(),
  /** The ggml model file whisper.cpp loads (`ggml-base.en.bin`, …); used only with WHISPER_CPP_BIN. */
  WHISPER_MODEL: z.string().optional(),
  /** An OpenAI-compatible chat-completions endpoint for reframe_llm (`https://…/v1`); unset: the heuristic plan is used. */
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  /** One LLM request longer than this is abandoned (and retried while LLM_MAX_ATTEMPTS allow). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  LLM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** libx264 quality (lower is better, larger) and speed preset of rendered outputs. */
  RENDER_CRF: z.coerce.number().int().min(0).max(51).default(23),
  RENDER_PRESET: z
    .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'])
    .default('veryfast'),
  /** Delivery attempts of a one-shot job's callback (1 s, 2 s, 4 s… apart). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Requests per minute one API key may make (also the burst size); 0 disables. Counted per web process. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
});

export type Env = Omit<z.infer<typeof schema>, 'WORKER_MODE'> & {
  WORKER_MODE: 'embedded' | 'none';
  databaseUrl: string;
  dataDir: string;
};

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, 'app.db')}`;
  if (parsed.data.STORAGE === 's3' && !parsed.data.S3_BUCKET)
    throw new Error('Invalid configuration: S3_BUCKET is required with STORAGE=s3');
  // With BullMQ the workers are their own processes; the web process runs steps only when asked to.
  const WORKER_MODE = parsed.data.WORKER_MODE ?? (parsed.data.QUEUE === 'bullmq' ? 'none' : 'embedded');
  return Object.freeze({ ...parsed.data, WORKER_MODE, dataDir, databaseUrl });
}

export const env: Env = load();

/** The file path of a `file:` SQLite URL. */
export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, '');
}

export function databaseProvider(url = env.databaseUrl): 'sqlite' | 'postgresql' {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}
