// The S3 storage driver against a real S3 protocol server on loopback (s3rver): the shared storage
// contract (storage.cases.ts) — atomic multipart writes, size limit, aborts, ranged GETs, prefix deletion —
// and the scratch folder: local copies go once used, and what a killed worker left is cleared.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type TestS3 } from '../../../e2e/support/s3-server';
import { S3Storage } from './s3-storage.repository';
import { storageCases } from './storage.cases';

let s3: TestS3;
let storage: S3Storage;
const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-scratch-'));

const options = () => ({
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
});

beforeAll(async () => {
  s3 = await startS3Server();
  storage = new S3Storage({ ...options(), scratchDir });
});
afterAll(() => s3?.close());

describe('S3Storage on s3rver: the storage contract', () => storageCases(() => storage));

describe('S3Storage streamed writes', () => {
  it('fails with the S3 error when the bucket refuses a multipart upload, stops reading the source and keeps no spool', async () => {
    const refusing = new S3Storage({ ...options(), bucket: 'no-such-bucket', scratchDir });
    // Endless: only the upload's failure can end it (it is spooled to disk, part by part, in the meantime).
    const source = new Readable({
      read() {
        this.push(Buffer.alloc(1024 * 1024));
      },
    });
    await expect(refusing.writeStream('videos/r/source.mp4', source)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(source.destroyed).toBe(true);
    expect(fs.readdirSync(scratchDir).filter((d) => d.startsWith(`${process.pid}-`))).toEqual([]);
  });
});

describe('S3Storage scratch folder', () => {
  it('removes local copies after use, and clears what a dead process left behind', async () => {
    // A pid that existed and is gone: a finished child process's.
    const deadPid = spawnSync('true').pid;
    fs.mkdirSync(path.join(scratchDir, `${deadPid}-left-by-a-killed-worker`), { recursive: true });
    fs.writeFileSync(path.join(scratchDir, `${deadPid}-left-by-a-killed-worker`, 'reframe.mp4'), 'partial');
    fs.mkdirSync(path.join(scratchDir, `${process.ppid}-still-in-use`));
    // A new process's driver: the sweep happens on its first scratch use.
    const fresh = new S3Storage({ ...options(), scratchDir });
    await fresh.write('videos/s/source.mp4', 'x');
    let seen = '';
    await fresh.withLocalFile('videos/s/source.mp4', async (file) => {
      seen = file;
      expect(fs.existsSync(file)).toBe(true);
    });
    expect(fs.existsSync(seen)).toBe(false);
    expect(fs.readdirSync(scratchDir)).toEqual([`${process.ppid}-still-in-use`]);
  });
});
