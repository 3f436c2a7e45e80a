// Restart recovery on one data folder: steps queued by a server without a worker run after a restart,
// and a step whose server was SIGKILLed mid-run (or stopped with SIGTERM) is re-queued and completes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, finished, localServer, stopAll, trickle, waitUntil, type LocalServer, type StepJson } from './helpers';

const started: TestServer[] = [];
let slow: LocalServer;
let clip: Buffer;

async function start(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const server = await startTestServer(env, dataDir ? { dataDir } : {});
  started.push(server);
  return server;
}

/** Pids whose parent is `pid` (the test harness runs tsx, which runs the service in a child node). */
function childPids(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  clip = fs.readFileSync(makeClip('restart-2s.mp4', 2, { size: '160x120' }));
});

beforeAll(async () => {
  slow = await localServer((req, res) => {
    if (req.url === '/slow.mp4') return trickle(res, clip, 4_000);
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([stopAll(...started), slow?.close()]);
});

describe('restart recovery', () => {
  it('runs steps queued while no worker was running after a restart with the embedded worker', async () => {
    const first = await start({ WORKER_MODE: 'none' });
    await expect.poll(() => first.output()).toContain('worker: none');
    const key = await first.createKey('queued@example.com');
    const api = client(first, key);
    const ids: string[] = [];
    for (const name of ['a.mp4', 'b.mp4']) {
      const res = await api.upload(clip, name);
      expect(res.status, res.text).toBe(202);
      ids.push(res.body.video_id);
    }
    await new Promise((r) => setTimeout(r, 1_500));
    for (const id of ids) {
      const status = await api.get(`/api/v2/status/${id}`);
      expect(status.body.steps).toEqual([{ step: 'ingest', status: 'queued', progress: 0, attempts: 0, created_at: expect.any(String) }]);
    }
    await first.stop();
    expect(first.process.exitCode).toBe(0);

    const second = await start({}, first.dataDir);
    await expect.poll(() => second.output()).toContain('worker: embedded');
    const api2 = client(second, key);
    for (const id of ids) {
      const step = await waitUntil(api2, id, finished);
      expect(step).toMatchObject({ status: 'completed', attempts: 1, progress: 1 });
      const video = await api2.get(`/api/v2/videos/${id}`);
      expect(video.body).toMatchObject({ duration: 2, width: 160, height: 120, frames: 50 });
    }
  });

  it('re-queues and completes a step whose server was killed with SIGKILL mid-ingest', async () => {
    const first = await start();
    const key = await first.createKey('killed@example.com');
    const api = client(first, key);
    const res = await api.ingestUrl(`${slow.origin}/slow.mp4`);
    expect(res.status).toBe(202);
    const id: string = res.body.video_id;
    const running = await waitUntil(api, id, (s) => s?.status === 'running');
    expect(running.attempts).toBe(1);

    // Kill the service process itself (tsx's child, whose pid is in the step's lock), then tsx:
    // SIGKILL on tsx alone would leave the service running as an orphan.
    const pids = childPids(first.process.pid!);
    expect(pids.length).toBeLessThanOrEqual(1);
    const servicePid = pids[0] ?? first.process.pid!;
    process.kill(servicePid, 'SIGKILL');
    await first.stop('SIGKILL');
    await expect.poll(() => isAlive(servicePid), { timeout: 5_000 }).toBe(false);
    const requestsBefore = slow.requests.length;

    const second = await start({}, first.dataDir);
    const api2 = client(second, key);
    const step = await waitUntil(api2, id, finished);
    expect(step, JSON.stringify(step)).toMatchObject({ status: 'completed', attempts: 2, progress: 1 });
    expect(step.error).toBeUndefined();
    expect(second.output()).toMatch(/recovered ingest \S+ from \S+ → queued/);
    // The download started over from the beginning.
    expect(slow.requests.slice(requestsBefore)).toEqual(['/slow.mp4']);
    const video = await api2.get(`/api/v2/videos/${id}`);
    expect(video.body).toMatchObject({ status: 'completed', duration: 2, size_bytes: clip.length });
  });

  it('gives the attempt back when the server is stopped with SIGTERM mid-ingest', async () => {
    const first = await start();
    const key = await first.createKey('stopped@example.com');
    const api = client(first, key);
    const res = await api.ingestUrl(`${slow.origin}/slow.mp4`);
    const id: string = res.body.video_id;
    await waitUntil(api, id, (s) => s?.status === 'running');
    await first.stop('SIGTERM');
    expect(first.process.exitCode).toBe(0);

    const second = await start({ WORKER_MODE: 'none' }, first.dataDir);
    const api2 = client(second, key);
    const parked = (await api2.get(`/api/v2/status/${id}`)).body.steps as StepJson[];
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ status: 'queued', attempts: 0 });
    await second.stop();

    const third = await start({}, first.dataDir);
    const step = await waitUntil(client(third, key), id, finished);
    expect(step).toMatchObject({ status: 'completed', attempts: 1 });
  });
});
