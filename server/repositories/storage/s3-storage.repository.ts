// The S3 storage driver (scale-out): keys are object keys in one bucket of any S3-compatible server.
// Streams go up as multipart uploads, which S3 shows only once completed (so writes are atomic);
// ranged reads become ranged GETs; ffmpeg gets local copies in a scratch folder, removed afterwards.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError } from '../../contracts/errors';
import { assertSafeKey, type Storage, type StoredObject } from './storage';

export interface S3StorageOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Where local copies for ffmpeg live while a step runs. */
  scratchDir?: string;
}

/** 8 MiB parts, two in flight: bounded memory per upload whatever the file's size. */
const PART_SIZE = 8 * 1024 * 1024;

export class S3Storage implements Storage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly scratchDir: string;

  constructor(o: S3StorageOptions) {
    this.bucket = o.bucket;
    this.scratchDir = o.scratchDir ?? path.join(os.tmpdir(), 'reframe-s3-scratch');
    this.client = new S3Client({
      region: o.region,
      endpoint: o.endpoint,
      forcePathStyle: o.forcePathStyle,
      ...(o.accessKeyId && o.secretAccessKey ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } } : {}),
      // Checksums only where S3 demands them: many S3-compatible servers reject the newer trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async write(key: string, data: Buffer | string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: typeof data === 'string' ? Buffer.from(data) : data }),
    );
  }

  async writeStream(key: string, source: Readable, opts: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<number> {
    assertSafeKey(key);
    let bytes = 0;
    const limit = opts.maxBytes ?? Infinity;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(new AppError('payload_too_large', `The file is larger than the limit of ${limit} bytes.`));
        else done(null, chunk);
      },
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counted },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const feeding = pipeline(source, counted, { signal: opts.signal });
    const uploading = upload.done();
    try {
      await Promise.all([feeding, uploading]);
      return bytes;
    } catch (error) {
      // Either side failing (the source, the size limit, an abort, S3) ends both and drops the parts;
      // the source's own error says more than the upload's "aborted".
      source.destroy();
      counted.destroy();
      await upload.abort().catch(() => undefined);
      throw (
        (await feeding.then(
          () => null,
          (e: unknown) => e,
        )) ?? error
      );
    }
  }

  async read(key: string): Promise<Buffer> {
    assertSafeKey(key);
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  createReadStream(key: string, range?: { start: number; end: number }): Readable {
    assertSafeKey(key);
    const out = new PassThrough();
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
    });
    this.client.send(command).then(
      (res) => pipeline(res.Body as Readable, out).catch((error: Error) => out.destroy(error)),
      (error: Error) => out.destroy(error),
    );
    return out;
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertSafeKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, modified: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertSafeKey(prefix.replace(/\/$/, ''));
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      // One by one: DeleteObjects needs a Content-MD5 that not every S3-compatible server accepts.
      for (const o of page.Contents ?? []) if (o.Key) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: o.Key }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    assertSafeKey(key);
    return this.inScratch(key, async (file) => {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      await pipeline(res.Body as Readable, fs.createWriteStream(file));
      return fn(file);
    });
  }

  async withOutputFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    assertSafeKey(key);
    return this.inScratch(key, async (file) => {
      const result = await fn(file);
      await this.writeStream(key, fs.createReadStream(file));
      return result;
    });
  }

  /**
   * A private scratch folder per call, named after the key's file (ffmpeg reads the extension) and
   * tagged with this process's pid, so that the first call can clear what killed workers left behind.
   */
  private async inScratch<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    this.leftovers ??= this.removeLeftovers();
    await this.leftovers;
    const dir = path.join(this.scratchDir, `${process.pid}-${randomUUID()}`);
    await fsp.mkdir(dir, { recursive: true });
    try {
      return await fn(path.join(dir, path.basename(key)));
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  private leftovers: Promise<void> | null = null;

  private async removeLeftovers(): Promise<void> {
    const entries = await fsp.readdir(this.scratchDir).catch(() => [] as string[]);
    for (const entry of entries) {
      const pid = Number(entry.split('-')[0]);
      if (pid && pid !== process.pid && !isAlive(pid)) await fsp.rm(path.join(this.scratchDir, entry), { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
