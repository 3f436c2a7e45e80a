// The local-folder storage driver (embedded default): keys are paths under DATA_DIR.
// Atomic writes: data goes to a hidden temp file in the same folder, fsync, then rename. A full disk
// (ENOSPC, EDQUOT) becomes `storage_full`, with the temp file removed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../contracts/errors';
import { assertSafeKey, type Storage, type StoredObject } from './storage';

export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  localPath(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  private async tempFor(key: string): Promise<{ final: string; temp: string }> {
    const final = this.localPath(key);
    await fsp.mkdir(path.dirname(final), { recursive: true }).catch((error: unknown) => {
      throw storageError(error);
    });
    const temp = path.join(path.dirname(final), `.tmp-${randomBytes(6).toString('hex')}-${path.basename(final)}`);
    return { final, temp };
  }

  async write(key: string, data: Buffer | string): Promise<void> {
    const { final, temp } = await this.tempFor(key);
    try {
      const handle = await fsp.open(temp, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, final);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw storageError(error);
    }
  }

  async writeStream(key: string, source: Readable, opts: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<number> {
    const { final, temp } = await this.tempFor(key);
    let bytes = 0;
    const limit = opts.maxBytes ?? Infinity;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(new AppError('payload_too_large', `The file is larger than the limit of ${limit} bytes.`));
        else done(null, chunk);
      },
    });
    try {
      const out = fs.createWriteStream(temp);
      await pipeline(source, counter, out, { signal: opts.signal });
      const handle = await fsp.open(temp, 'r+');
      await handle.sync().finally(() => handle.close());
      await fsp.rename(temp, final);
      return bytes;
    } catch (error) {
      source.destroy();
      await fsp.rm(temp, { force: true });
      throw storageError(error);
    }
  }

  read(key: string): Promise<Buffer> {
    return fsp.readFile(this.localPath(key));
  }

  createReadStream(key: string, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(this.localPath(key), range);
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await fsp.stat(this.localPath(key));
      return s.isFile() ? { size: s.size, modified: s.mtime } : null;
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.localPath(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertSafeKey(prefix.replace(/\/$/, ''));
    await fsp.rm(path.join(this.root, prefix), { recursive: true, force: true });
  }

  withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    return fn(this.localPath(key));
  }

  async withOutputFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    const { final, temp } = await this.tempFor(key);
    try {
      const result = await fn(temp);
      await fsp.rename(temp, final);
      return result;
    } finally {
      await fsp.rm(temp, { force: true });
    }
  }

  /**
   * Removes temp files nobody has written to for `olderThanMs` (a process killed mid-write leaves its
   * temp file behind) and the video folders that leaves empty. Returns how many temp files went.
   * Age, not ownership, decides: a worker in another process may be writing a fresh one right now.
   */
  async removeStaleTemps(olderThanMs: number): Promise<number> {
    const videos = path.join(this.root, 'videos');
    const entries = await fsp.readdir(videos, { recursive: true }).catch(() => [] as string[]);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const touched = new Set<string>();
    for (const entry of entries) {
      if (!path.basename(entry).startsWith('.tmp-')) continue;
      const file = path.join(videos, entry);
      const stat = await fsp.stat(file).catch(() => null);
      if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
      await fsp.rm(file, { force: true });
      removed++;
      for (let dir = path.dirname(file); dir.startsWith(videos + path.sep); dir = path.dirname(dir)) touched.add(dir);
    }
    // Deepest first, so that a folder emptied by removing its empty child goes too.
    for (const dir of [...touched].sort((a, b) => b.length - a.length)) await fsp.rmdir(dir).catch(() => undefined);
    return removed;
  }
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

function storageError(error: unknown): unknown {
  if (DISK_FULL.has((error as NodeJS.ErrnoException)?.code ?? '')) {
    return new AppError('storage_full', 'The server has run out of storage space; nothing was stored. Try again later.');
  }
  return error;
}
