// The storage interface every driver implements, and the key layout of a video's files:
// videos/{id}/source.<ext>, videos/{id}/results/{model}.json, videos/{id}/outputs/{name}.
// Writes are atomic in every driver: a reader sees the whole file or nothing.
import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  modified: Date;
}

export interface Storage {
  /** Writes a whole buffer atomically. */
  write(key: string, data: Buffer | string): Promise<void>;
  /** Streams into `key` atomically; aborts (and leaves nothing) past `maxBytes`. Returns bytes written. */
  writeStream(key: string, source: Readable, opts?: { maxBytes?: number; signal?: AbortSignal }): Promise<number>;
  read(key: string): Promise<Buffer>;
  /** A byte range is inclusive at both ends, as in HTTP. */
  createReadStream(key: string, range?: { start: number; end: number }): Readable;
  stat(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  /** Runs `fn` with a local file path for `key` (ffmpeg needs one); drivers without local files copy. */
  withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with a local scratch path for a tool that writes its output itself (ffmpeg), then stores
   * that file under `key` atomically; nothing is stored when `fn` throws.
   */
  withOutputFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T>;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Rejects anything but plain relative keys: no `..`, no absolute paths, no odd characters. */
export function assertSafeKey(key: string): void {
  const parts = key.split('/');
  if (!parts.length || !parts.every((p) => SAFE_SEGMENT.test(p) && p !== '..' && !p.includes('..'))) {
    throw new Error(`Unsafe storage key: ${JSON.stringify(key)}`);
  }
}

export const videoKeys = {
  prefix: (videoId: string) => `videos/${videoId}/`,
  source: (videoId: string, ext: string) => `videos/${videoId}/source.${ext}`,
  result: (videoId: string, model: string) => `videos/${videoId}/results/${model}.json`,
  output: (videoId: string, name: string) => `videos/${videoId}/outputs/${name}`,
  thumbnail: (videoId: string) => `videos/${videoId}/thumbnail.jpg`,
};
