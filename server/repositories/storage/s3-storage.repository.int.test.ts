// The S3 storage driver against a real S3 protocol server on loopback (s3rver): the shared storage
// contract (storage.cases.ts) — atomic multipart writes, size limit, aborts, ranged GETs, prefix deletion.
import { afterAll, beforeAll, describe } from 'vitest';
import { startS3Server, type TestS3 } from '../../../e2e/support/s3-server';
import { S3Storage } from './s3-storage.repository';
import { storageCases } from './storage.cases';

let s3: TestS3;
let storage: S3Storage;

beforeAll(async () => {
  s3 = await startS3Server();
  storage = new S3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
});
afterAll(() => s3?.close());

describe('S3Storage on s3rver: the storage contract', () => storageCases(() => storage));
