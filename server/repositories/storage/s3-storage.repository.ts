// The S3 storage driver (scale-out): keys are object keys in one bucket of any S3-compatible server.
// Streams are spooled to a scratch file and go up from it, part by part as it grows, as multipart
// uploads, which S3 shows only once completed (so writes are atomic); ranged reads become ranged GETs;
// ffmpeg gets local copies in the same scratch folder, removed afterwards.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { AppError } from '../../contracts/errors';
import { assertSafeKey, type Storage, type StoredObject } from './storage';

export interface S3StorageOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Where local copies for ffmpeg, and streams on their way up, live while they are used. */
  scratchDir?: string;
}

/**
 * 8 MiB parts, two in flight, each sent as a stream of its range of the scratch file: the process
 * holds a few stream buffers per upload, not the parts (in-memory parts cost ~25 MiB per upload,
 * ~500 MiB for 20 concurrent uploads).
 */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** How much of a scratch file is written so far, and whether it is complete; wakes a waiting reader. */
class SpoolProgress {
  written = 0;
  ended = false;
  failed: unknown = null;
  private wake: (() => void) | null = null;

  constructor(complete?: number) {
    if (complete !== undefined) [this.written, this.ended] = [complete, true];
  }

  update(change: Partial<Pick<SpoolProgress, 'written' | 'ended' | 'failed'>>): void {
    Object.assign(this, change);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failed) throw this.failed;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

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
    const limit = opts.maxBytes ?? Infinity;
    return this.inScratch(key, async (file) => {
      const handle = await fsp.open(file, 'w');
      const progress = new SpoolProgress();
      const spool = new Writable({
        write(chunk: Buffer, _enc, done) {
          if (progress.written + chunk.length > limit)
            return done(new AppError('payload_too_large', `The file is larger than the limit of ${limit} bytes.`));
          writeAll(handle, chunk).then(() => {
            progress.update({ written: progress.written + chunk.length });
            done();
          }, done);
        },
      });
      // Either side failing (the source, the size limit, an abort, S3) ends both; the first error is the story.
      let failure: unknown = null;
      const failed = (error: unknown) => {
        failure ??= error;
        throw error;
      };
      const feeding = pipeline(source, spool, { signal: opts.signal }).then(
        () => progress.update({ ended: true }),
        (error: unknown) => {
          progress.update({ failed: error });
          failed(error);
        },
      );
      const stop = new AbortController();
      const uploading = this.uploadSpool(key, file, progress, stop.signal).catch(failed);
      try {
        await Promise.all([feeding, uploading]);
        return progress.written;
      } catch (error) {
        source.destroy();
        spool.destroy();
        stop.abort();
        await Promise.allSettled([feeding, uploading]);
        throw failure ?? error;
      } finally {
        await handle.close();
      }
    });
  }

  /**
   * Uploads a scratch file while it is being written: one PUT when it ends within one part, else a
   * multipart upload whose parts start as soon as their bytes are on disk (dropped on any failure).
   */
  private async uploadSpool(key: string, file: string, progress: SpoolProgress, signal: AbortSignal): Promise<void> {
    const target = { Bucket: this.bucket, Key: key };
    await progress.until(() => progress.ended || progress.written > PART_SIZE);
    if (progress.written <= PART_SIZE) {
      await sendRange(file, 0, progress.written, (range) =>
        this.client.send(new PutObjectCommand({ ...target, ...range }), { abortSignal: signal }),
      );
      return;
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target), { abortSignal: signal });
    const parts: { PartNumber: number; ETag?: string }[] = [];
    const inFlight = new Set<Promise<void>>();
    // One failed part stops the others before the upload is dropped (S3 may keep parts still arriving).
    const stop = new AbortController();
    const stopAll = () => stop.abort();
    signal.addEventListener('abort', stopAll, { once: true });
    try {
      for (let start = 0, PartNumber = 1; ; start += PART_SIZE, PartNumber++) {
        await progress.until(() => progress.ended || progress.written >= start + PART_SIZE);
        if (progress.written <= start) break;
        while (inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(inFlight);
        const end = Math.min(start + PART_SIZE, progress.written);
        const sending = sendRange(file, start, end, (range) =>
          this.client.send(new UploadPartCommand({ ...target, UploadId, PartNumber, ...range }), { abortSignal: stop.signal }),
        )
          .then(({ ETag }) => void parts.push({ PartNumber, ETag }))
          .finally(() => inFlight.delete(sending));
        sending.catch(() => undefined); // awaited below or by Promise.race; a failure ends the loop there
        inFlight.add(sending);
      }
      await Promise.all(inFlight);
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      await this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: parts } }), {
        abortSignal: stop.signal,
      });
    } catch (error) {
      stop.abort();
      await Promise.allSettled(inFlight);
      await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId })).catch(() => undefined);
      throw error;
    } finally {
      signal.removeEventListener('abort', stopAll);
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
      const { size } = await fsp.stat(file);
      await this.uploadSpool(key, file, new SpoolProgress(size), new AbortController().signal);
      return result;
    });
  }

  /**
   * A private scratch folder per call, named after the key's file (ffmpeg reads the extension) and
   * tagged with this process's pid, so that the first call can clear what killed processes left behind.
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

/** Sends bytes [start, end) of a file as a stream body of known length, and closes it whatever happens. */
async function sendRange<T>(
  file: string,
  start: number,
  end: number,
  send: (range: { Body: Readable | Buffer; ContentLength: number }) => Promise<T>,
): Promise<T> {
  const body = end > start ? fs.createReadStream(file, { start, end: end - 1 }) : null;
  try {
    return await send({ Body: body ?? Buffer.alloc(0), ContentLength: end - start });
  } finally {
    body?.destroy();
  }
}

async function writeAll(handle: fsp.FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length;) offset += (await handle.write(chunk, offset)).bytesWritten;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
