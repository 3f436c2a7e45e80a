// The scale-out settings of server/env.ts: where the web process runs steps by default, and the
// refusal of STORAGE=s3 without a bucket (read once per load, so each case loads the module afresh).
import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function load(vars: Record<string, string>) {
  for (const name of ['QUEUE', 'WORKER_MODE', 'STORAGE', 'S3_BUCKET', 'S3_FORCE_PATH_STYLE']) delete process.env[name];
  Object.assign(process.env, vars);
  return (await import('./env')).env;
}

describe('scale-out settings', () => {
  it('defaults to the embedded queue, local storage and a worker inside the web process', async () => {
    expect(await load({})).toMatchObject({ QUEUE: 'embedded', STORAGE: 'local', WORKER_MODE: 'embedded', QUEUE_PREFIX: 'reframe' });
  });

  it('runs no steps in the web process with QUEUE=bullmq unless asked to', async () => {
    expect((await load({ QUEUE: 'bullmq' })).WORKER_MODE).toBe('none');
    vi.resetModules();
    expect((await load({ QUEUE: 'bullmq', WORKER_MODE: 'embedded' })).WORKER_MODE).toBe('embedded');
  });

  it('needs a bucket with STORAGE=s3, and reads the path-style flag', async () => {
    await expect(load({ STORAGE: 's3' })).rejects.toThrow(/S3_BUCKET is required/);
    vi.resetModules();
    expect(await load({ STORAGE: 's3', S3_BUCKET: 'media', S3_FORCE_PATH_STYLE: '1' })).toMatchObject({
      S3_BUCKET: 'media',
      S3_FORCE_PATH_STYLE: true,
      S3_REGION: 'us-east-1',
    });
  });

  it('refuses an unknown queue', async () => {
    await expect(load({ QUEUE: 'kafka' })).rejects.toThrow(/Invalid configuration: QUEUE/);
  });
});
