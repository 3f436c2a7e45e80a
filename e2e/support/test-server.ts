// Starts the real service (scripts/serve.ts on the production build) on a free port with its own
// data folder and SQLite file, for integration and Playwright tests. Also creates API keys through
// the admin CLI, exactly as an operator would, and starts `npm run worker` processes for scale-out tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface TestServer {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  process: ChildProcess;
  output: () => string;
  /** Creates (or reuses) an account and returns a fresh API key for it. */
  createKey(email: string): Promise<string>;
  admin(...args: string[]): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startTestServer(extraEnv: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    throw new Error('No production build: run `npm run build` (npm test does it) before the integration tests.');
  }
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-test-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_URLS: '1',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  if (extraEnv.DATABASE_URL) env.DATABASE_URL = extraEnv.DATABASE_URL;

  // Its own process group, so that stop() reaches the service behind the tsx wrapper too.
  const child = spawn(TSX, ['scripts/serve.ts'], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });

  const admin = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(TSX, ['scripts/admin.ts', ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    return stdout;
  };
  return {
    url,
    dataDir,
    env,
    process: child,
    output: () => out,
    admin,
    async createKey(email) {
      return (await admin('create-key', '--email', email)).trim().split('\n').at(-1)!;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      const group = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          // already gone
        }
      };
      // tsx relays graceful signals to the service and exits with its code; SIGKILL cannot be relayed.
      if (signal === 'SIGKILL') group(signal);
      else child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) group('SIGKILL');
    },
  };
}

/** Polls GET /api/v2/status/{id} until the step `kind` is completed or failed. */
export async function waitForStep(server: { url: string }, key: string, videoId: string, kind = 'ingest', timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${server.url}/api/v2/status/${videoId}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { steps: { step: string; status: string; error?: { code: string; message: string } }[] };
    const step = body.steps?.filter((s) => s.step === kind).at(-1);
    if (step && (step.status === 'completed' || step.status === 'failed')) return step;
    if (Date.now() > deadline) throw new Error(`step ${kind} of ${videoId} did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface TestWorker {
  /** `host:pid` as the worker writes it into the step rows it holds. */
  id: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a worker as `npm run worker` does (one node process with tsx's loader, so signals reach
 * the worker itself) with the server's environment plus `extraEnv`.
 */
export async function startTestWorker(server: { env: Record<string, string> }, extraEnv: Record<string, string> = {}): Promise<TestWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/node/main.ts'], {
    cwd: ROOT,
    env: { ...server.env, ...extraEnv } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/worker (\S+) started/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${out}`));
    });
  });
  return {
    id,
    process: child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // SIGKILL goes to the whole group (the worker and its ffmpeg), as when a machine dies.
      if (signal === 'SIGKILL') process.kill(-child.pid!, 'SIGKILL');
      else child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}
