// The load benchmark (`npm run bench:load`), loopback only and bounded in time: for each mode (SQLite
// embedded; PostgreSQL in a throwaway database; scale-out: PostgreSQL + BullMQ + S3 on s3rver with a
// worker process) it starts the built service, seeds a key
// and a video with a scene_detection result and a paid output, then runs autocannon (50 connections,
// 30 s each) against GET status, GET results and a ranged GET download, and finally 20 concurrent
// 50 MB uploads while sampling the web process's RSS (/proc/PID/status). Prints one table per part.
// Each measured run follows an unmeasured warm-up of `--warmup` seconds per target (its failures are printed too).
// Usage: tsx scripts/bench-load.ts [--duration 30] [--warmup 5] [--connections 50] [--uploads 20] [--upload-mb 50] [--modes sqlite,postgresql,scale-out]
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPostgresDatabase } from '../e2e/support/databases';
import { startS3Server } from '../e2e/support/s3-server';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    uploads: { type: 'string', default: '20' },
    'upload-mb': { type: 'string', default: '50' },
    modes: { type: 'string', default: 'sqlite,postgresql,scale-out' },
    warmup: { type: 'string', default: '5' },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const UPLOADS = Number(args.uploads);
const UPLOAD_BYTES = Number(args['upload-mb']) * 1024 * 1024;
const MODES = args.modes.split(',') as ('sqlite' | 'postgresql' | 'scale-out')[];

interface Service {
  url: string;
  pid: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts scripts/serve.ts in a plain node process (no tsx wrapper), so its pid is the web process;
 *  `extra` selects the scale-out drivers, whose steps a separate worker process runs. */
async function startService(databaseUrl: string | undefined, extra: Record<string, string> = {}): Promise<Service> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-bench-load-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // The benchmark measures the server, not the limiter: one key sends thousands of requests.
    RATE_LIMIT_PER_MINUTE: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
  if (!databaseUrl) delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let reported = false;
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
    // What the service says went wrong (request ids, unavailable database) is part of the result.
    if (reported) process.stderr.write(`[service] ${d.toString()}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m?.[1]) {
        clearTimeout(timer);
        reported = true;
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${out}`)));
  });
  // Started once the web process has applied the migrations; its errors are the benchmark's too.
  const worker =
    extra.QUEUE === 'bullmq'
      ? spawn(process.execPath, ['--import', 'tsx', 'workers/node/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] })
      : null;
  return {
    url,
    pid: child.pid!,
    dataDir,
    env,
    child,
    async stop() {
      worker?.kill('SIGKILL');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function rssMiB(pid: number): number {
  const kb = Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? NaN);
  return kb / 1024;
}

async function request(url: string, key: string, init: { method?: string; body?: string; type?: string } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.type ? { 'content-type': init.type } : {}) },
    body: init.body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function waitForStep(service: Service, key: string, videoId: string, kind: string) {
  for (let i = 0; i < 600; i++) {
    const status = await request(`${service.url}/api/v2/status/${videoId}`, key);
    const step = status.steps.filter((s: { step: string }) => s.step === kind).at(-1);
    if (step?.status === 'completed') return;
    if (step?.status === 'failed') throw new Error(`${kind} failed: ${JSON.stringify(step.error)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${kind} did not finish`);
}

/** A key, and a 10 s video with a scene_detection result and a 1 MiB-plus reframe output already paid for. */
async function seed(service: Service, clip: string) {
  const { stdout } = await promisify(execFile)(TSX, ['scripts/admin.ts', 'create-key', '--email', 'bench@example.com'], {
    cwd: ROOT,
    env: service.env,
  });
  const key = stdout.trim().split('\n').at(-1)!;
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(clip)], { type: 'video/mp4' }), 'bench.mp4');
  const ingest = await fetch(`${service.url}/api/v2/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  const { video_id: videoId } = (await ingest.json()) as { video_id: string };
  await waitForStep(service, key, videoId, 'ingest');
  await request(`${service.url}/api/v2/analyze`, key, {
    method: 'POST',
    type: 'application/json',
    body: JSON.stringify({ video_id: videoId, model_type: 'scene_detection' }),
  });
  await waitForStep(service, key, videoId, 'analyze:scene_detection');
  await putOutput(service, `videos/${videoId}/outputs/reframe.mp4`, clip);
  const paid = await fetch(`${service.url}/api/v2/download/${videoId}`, { headers: { authorization: `Bearer ${key}` } });
  if (paid.status !== 200) throw new Error(`first download: HTTP ${paid.status}`);
  await paid.arrayBuffer();
  return { key, videoId };
}

/** Places a file where the service's storage keeps `key`: the data folder, or the S3 bucket. */
async function putOutput(service: Service, key: string, file: string) {
  if (service.env.STORAGE !== 's3') {
    fs.mkdirSync(path.dirname(path.join(service.dataDir, key)), { recursive: true });
    fs.copyFileSync(file, path.join(service.dataDir, key));
    return;
  }
  const s3 = new S3Client({
    endpoint: service.env.S3_ENDPOINT,
    region: service.env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: service.env.S3_ACCESS_KEY_ID!, secretAccessKey: service.env.S3_SECRET_ACCESS_KEY! },
  });
  await s3.send(new PutObjectCommand({ Bucket: service.env.S3_BUCKET, Key: key, Body: fs.readFileSync(file) }));
  s3.destroy();
}

interface LoadRow {
  mode: string;
  target: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Answers other than 2xx, by status. */
  non2xx: Record<string, number>;
  /** Connection errors and timeouts (no answer at all; autocannon counts a timeout as an error too), and what they were. */
  errors: number;
  failures: Record<string, number>;
}

async function load(mode: string, target: string, url: string, headers: Record<string, string>, duration = DURATION): Promise<LoadRow> {
  const failures = new Map<string, number>();
  // Without a callback autocannon returns its event emitter, which is also the promise of the result.
  const instance = autocannon({ url, connections: CONNECTIONS, duration, headers }) as unknown as autocannon.Instance &
    PromiseLike<autocannon.Result>;
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    const what = error.code ?? error.message;
    failures.set(what, (failures.get(what) ?? 0) + 1);
  });
  const result = await instance;
  const non2xx = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, { count }]) => [code, count ?? 0]),
  );
  return {
    mode,
    target,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result['2xx'],
    non2xx,
    errors: result.errors,
    failures: Object.fromEntries(failures),
  };
}

/** One multipart upload of `file` streamed from disk on its own connection; resolves with the HTTP status. */
function upload(url: string, key: string, file: string): Promise<number> {
  const boundary = `----bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="upload.mp4"\r\ncontent-type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/v2/ingest`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    const body = fs.createReadStream(file);
    body.pipe(req, { end: false });
    body.on('end', () => req.end(tail));
  });
}

interface UploadRow {
  mode: string;
  seconds: number;
  mbPerSecond: number;
  accepted: number;
  before: number;
  peak: number;
  after: number;
}

async function uploads(mode: string, service: Service, key: string, file: string): Promise<UploadRow> {
  const samples: number[] = [];
  const before = rssMiB(service.pid);
  const sampler = setInterval(() => samples.push(rssMiB(service.pid)), 100);
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: UPLOADS }, () => upload(service.url, key, file)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 2000));
  return {
    mode,
    seconds,
    mbPerSecond: (UPLOADS * UPLOAD_BYTES) / 1024 / 1024 / seconds,
    accepted: statuses.filter((s) => s === 202).length,
    before,
    peak: Math.max(before, ...samples),
    after: rssMiB(service.pid),
  };
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-bench-load-media-'));
const clip = path.join(workDir, 'clip.mp4');
execFileSync('ffmpeg', [
  ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
  ...['-t', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', clip],
]);
// Incompressible bytes: the service streams them to disk like any video, and ffprobe then refuses them cheaply.
const big = path.join(workDir, 'upload.bin');
fs.writeFileSync(big, randomBytes(UPLOAD_BYTES));

const loadRows: LoadRow[] = [];
const warmupRows: LoadRow[] = [];
const uploadRows: UploadRow[] = [];
try {
  for (const mode of MODES) {
    const database = mode === 'sqlite' ? null : await createPostgresDatabase();
    // Scale-out: PostgreSQL, BullMQ on the machine's Redis (a prefix of its own), S3 storage (s3rver), one worker process.
    const s3 = mode === 'scale-out' ? await startS3Server() : null;
    const extra = s3 ? { ...s3.env, QUEUE: 'bullmq', QUEUE_PREFIX: `bench-load-${process.pid}`, WORKER_MODE: 'none' } : {};
    const service = await startService(database?.url, extra);
    try {
      console.error(`[bench:load] ${mode}: seeding ${service.url}`);
      const { key, videoId } = await seed(service, clip);
      const auth = { authorization: `Bearer ${key}` };
      console.error(`[bench:load] ${mode}: ${CONNECTIONS} connections × ${DURATION} s per target`);
      const targets: [string, string, Record<string, string>][] = [
        ['GET status', `${service.url}/api/v2/status/${videoId}`, auth],
        ['GET results', `${service.url}/api/v2/videos/${videoId}/results/scene_detection`, auth],
        ['GET download (Range 64 KiB)', `${service.url}/api/v2/download/${videoId}`, { ...auth, range: 'bytes=0-65535' }],
      ];
      // A short unmeasured run per target first, so that the table shows the warm server (JIT, caches), not its first seconds.
      for (const [target, url, headers] of targets) {
        if (WARMUP > 0) warmupRows.push(await load(mode, target, url, headers, WARMUP));
      }
      for (const [target, url, headers] of targets) loadRows.push(await load(mode, target, url, headers));
      console.error(`[bench:load] ${mode}: ${UPLOADS} concurrent uploads of ${UPLOAD_BYTES / 1024 / 1024} MiB`);
      uploadRows.push(await uploads(mode, service, key, big));
    } finally {
      await service.stop();
      await database?.drop();
      await s3?.close();
    }
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}

const fixed = (n: number, d = 0) => n.toFixed(d);
console.log(`\nRead load: ${CONNECTIONS} connections, ${DURATION} s per target, loopback, ${os.cpus().length} cores`);
console.table(
  loadRows.map((r) => ({
    mode: r.mode,
    target: r.target,
    'req/s': fixed(r.rps),
    'p50 ms': fixed(r.p50, 1),
    'p99 ms': fixed(r.p99, 1),
    '2xx': r.requests,
    'non-2xx':
      Object.entries(r.non2xx)
        .map(([code, n]) => `${n}×${code}`)
        .join(' ') || 0,
    'no answer': r.errors,
  })),
);
for (const r of warmupRows.filter((row) => row.errors > 0 || Object.keys(row.non2xx).length > 0)) {
  console.log(
    `${r.mode} ${r.target} during the warm-up: ${r.errors} unanswered ${JSON.stringify(r.failures)}, non-2xx ${JSON.stringify(r.non2xx)}`,
  );
}
for (const r of loadRows.filter((row) => row.errors > 0)) console.log(`${r.mode} ${r.target}: no answer = ${JSON.stringify(r.failures)}`);
console.log(`\nUploads: ${UPLOADS} concurrent × ${UPLOAD_BYTES / 1024 / 1024} MiB; RSS of the web process in MiB`);
console.table(
  uploadRows.map((r) => ({
    mode: r.mode,
    accepted: `${r.accepted}/${UPLOADS}`,
    seconds: fixed(r.seconds, 1),
    'MiB/s': fixed(r.mbPerSecond),
    'RSS before': fixed(r.before),
    'RSS peak': fixed(r.peak),
    'RSS after': fixed(r.after),
  })),
);
const failed = loadRows.some((r) => r.errors > 0 || Object.keys(r.non2xx).length > 0) || uploadRows.some((r) => r.accepted !== UPLOADS);
if (failed) console.log('\nSome requests failed (see non-2xx / no answer / accepted above; the service log is on stderr).');
process.exit(failed ? 1 : 0);
