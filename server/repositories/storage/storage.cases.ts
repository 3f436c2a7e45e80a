// The storage contract every driver passes (run by the local-folder and the S3 test files): whole and
// streamed writes that are atomic, the size limit, aborts, inclusive byte ranges across multipart
// part boundaries, prefix deletion, and local files for ffmpeg in both directions.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { Storage } from './storage';

const collect = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** Bytes whose every position differs from its neighbours', so an off-by-one range shows. */
function pattern(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
  return data;
}

export function storageCases(storage: () => Storage) {
  it('writes and reads whole files, replacing them', async () => {
    await storage().write('videos/a/results/x.json', '{"v":1}');
    await storage().write('videos/a/results/x.json', '{"v":2}');
    expect((await storage().read('videos/a/results/x.json')).toString()).toBe('{"v":2}');
    expect(await storage().stat('videos/a/results/x.json')).toMatchObject({ size: 7 });
    expect((await storage().stat('videos/a/results/x.json'))?.modified).toBeInstanceOf(Date);
    expect(await storage().stat('videos/a/results/missing.json')).toBeNull();
  });

  it('never shows a partial stream under its final name, and leaves nothing when the source fails', async () => {
    let pushed = 0;
    const source = new Readable({
      read() {
        if (pushed++ < 3) setTimeout(() => this.push(Buffer.alloc(100_000, 1)), 20);
        else this.destroy(new Error('connection reset'));
      },
    });
    const seen: (object | null)[] = [];
    const watching = (async () => {
      while (!source.destroyed) seen.push(await storage().stat('videos/b/source.mp4'));
    })();
    await expect(storage().writeStream('videos/b/source.mp4', source)).rejects.toThrow('connection reset');
    await watching;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x === null)).toBe(true);
    expect(await storage().stat('videos/b/source.mp4')).toBeNull();
  });

  it('stops a stream past maxBytes with payload_too_large and stores nothing', async () => {
    const over = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(storage().writeStream('videos/c/source.mp4', over, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(await storage().stat('videos/c/source.mp4')).toBeNull();
    expect(await storage().writeStream('videos/c/source.mp4', Readable.from([Buffer.alloc(1000)]), { maxBytes: 1000 })).toBe(1000);
    expect(await storage().stat('videos/c/source.mp4')).toMatchObject({ size: 1000 });
  });

  it('stops a stream when its signal aborts and stores nothing', async () => {
    const controller = new AbortController();
    const source = new Readable({
      read() {
        setTimeout(() => this.push(Buffer.alloc(10_000)), 10);
      },
    });
    setTimeout(() => controller.abort(new Error('step cancelled')), 100);
    await expect(storage().writeStream('videos/f/source.mp4', source, { signal: controller.signal })).rejects.toThrow();
    expect(await storage().stat('videos/f/source.mp4')).toBeNull();
  });

  it('streams a file larger than one upload part and reads inclusive ranges across the part boundary', async () => {
    const data = pattern(20 * 1024 * 1024 + 123);
    const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    expect(await storage().writeStream('videos/d/outputs/big.bin', Readable.from(chunks))).toBe(data.length);
    expect(await storage().stat('videos/d/outputs/big.bin')).toMatchObject({ size: data.length });
    // Lengths first: a wrong range could be the whole file, too big for a readable diff.
    const readRange = async (start: number, end: number) => {
      const got = await collect(storage().createReadStream('videos/d/outputs/big.bin', { start, end }));
      expect(got.length).toBe(end - start + 1);
      expect(got.equals(data.subarray(start, end + 1))).toBe(true);
    };
    const boundary = 8 * 1024 * 1024;
    await readRange(boundary - 5, boundary + 4);
    // One byte (not bytes=0-0: s3rver, the test server, answers that with the whole object).
    await readRange(1, 1);
    await readRange(data.length - 10, data.length - 1);
    const whole = await collect(storage().createReadStream('videos/d/outputs/big.bin'));
    expect(whole.length).toBe(data.length);
    expect(whole.equals(data)).toBe(true);
  });

  it('fails a read stream of a missing key', async () => {
    await expect(collect(storage().createReadStream('videos/none/outputs/reframe.mp4'))).rejects.toThrow();
  });

  it('deletes a prefix and nothing else', async () => {
    await storage().write('videos/e/source.mp4', 'x');
    await storage().write('videos/e/results/scene_detection.json', '{}');
    await storage().write('videos/e2/source.mp4', 'y');
    await storage().deletePrefix('videos/e/');
    expect(await storage().stat('videos/e/source.mp4')).toBeNull();
    expect(await storage().stat('videos/e/results/scene_detection.json')).toBeNull();
    expect(await storage().stat('videos/e2/source.mp4')).toMatchObject({ size: 1 });
  });

  it('gives a local file of a stored key to a tool', async () => {
    await storage().write('videos/g/source.mp4', 'movie bytes');
    const seen = await storage().withLocalFile('videos/g/source.mp4', async (file) => {
      expect(file.endsWith('.mp4')).toBe(true);
      return fs.readFileSync(file, 'utf8');
    });
    expect(seen).toBe('movie bytes');
  });

  it('stores what a tool writes to a local output file, and nothing when the tool fails', async () => {
    const result = await storage().withOutputFile('videos/h/outputs/reframe.mp4', async (file) => {
      fs.writeFileSync(file, 'rendered');
      expect(await storage().stat('videos/h/outputs/reframe.mp4')).toBeNull();
      return 42;
    });
    expect(result).toBe(42);
    expect((await storage().read('videos/h/outputs/reframe.mp4')).toString()).toBe('rendered');
    await expect(
      storage().withOutputFile('videos/i/outputs/reframe.mp4', async (file) => {
        fs.writeFileSync(file, 'half');
        throw new Error('ffmpeg died');
      }),
    ).rejects.toThrow('ffmpeg died');
    expect(await storage().stat('videos/i/outputs/reframe.mp4')).toBeNull();
  });
}
