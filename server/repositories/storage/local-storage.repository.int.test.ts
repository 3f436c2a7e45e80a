// The local storage driver on a real folder: atomic writes (no partial file ever visible under the
// final name), the size limit on streams, byte ranges, refusal of unsafe keys, and the start-up sweep
// of temp files left by a killed process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from './local-storage.repository';
import { assertSafeKey } from './storage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-'));
const storage = new LocalStorage(root);
const filesUnder = (dir: string) => fs.readdirSync(path.join(root, dir), { recursive: true }).map(String);

describe('LocalStorage', () => {
  it('writes and reads whole files, replacing atomically', async () => {
    await storage.write('videos/a/results/x.json', '{"v":1}');
    await storage.write('videos/a/results/x.json', '{"v":2}');
    expect((await storage.read('videos/a/results/x.json')).toString()).toBe('{"v":2}');
    expect(filesUnder('videos/a/results')).toEqual(['x.json']);
    expect(await storage.stat('videos/a/results/x.json')).toMatchObject({ size: 7 });
    expect(await storage.stat('videos/a/results/missing.json')).toBeNull();
  });

  it('never shows a partial stream under its final name, and cleans up on failure', async () => {
    let pushed = 0;
    const source = new Readable({
      read() {
        if (pushed++ < 3) this.push(Buffer.alloc(1000, 1));
        else this.destroy(new Error('connection reset'));
      },
    });
    const seen: boolean[] = [];
    const watcher = setInterval(() => seen.push(fs.existsSync(path.join(root, 'videos/b/source.mp4'))), 1);
    await expect(storage.writeStream('videos/b/source.mp4', source)).rejects.toThrow('connection reset');
    clearInterval(watcher);
    expect(seen.every((x) => !x)).toBe(true);
    expect(filesUnder('videos/b')).toEqual([]);
  });

  it('stops a stream past maxBytes with payload_too_large and leaves nothing', async () => {
    const source = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(storage.writeStream('videos/c/source.mp4', source, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(filesUnder('videos/c')).toEqual([]);
    expect(await storage.writeStream('videos/c/source.mp4', Readable.from([Buffer.alloc(1000)]), { maxBytes: 1000 })).toBe(1000);
  });

  it('sweeps temp files older than the cutoff and the folders they leave empty, and nothing else', async () => {
    const dir = (id: string) => path.join(root, 'videos', id);
    const old = Date.now() / 1000 - 7200;
    fs.mkdirSync(path.join(dir('killed'), 'results'), { recursive: true });
    fs.writeFileSync(path.join(dir('killed'), '.tmp-aaaa-source.mp4'), 'half');
    fs.writeFileSync(path.join(dir('killed'), 'results', '.tmp-bbbb-x.json'), '{');
    fs.utimesSync(path.join(dir('killed'), '.tmp-aaaa-source.mp4'), old, old);
    fs.utimesSync(path.join(dir('killed'), 'results', '.tmp-bbbb-x.json'), old, old);
    fs.mkdirSync(dir('busy'), { recursive: true });
    fs.writeFileSync(path.join(dir('busy'), '.tmp-cccc-source.mp4'), 'being written');
    fs.mkdirSync(dir('kept'), { recursive: true });
    fs.writeFileSync(path.join(dir('kept'), 'source.mp4'), 'a video');
    fs.writeFileSync(path.join(dir('kept'), '.tmp-dddd-thumbnail.jpg'), 'x');
    fs.utimesSync(path.join(dir('kept'), '.tmp-dddd-thumbnail.jpg'), old, old);
    fs.utimesSync(path.join(dir('kept'), 'source.mp4'), old, old);

    expect(await storage.removeStaleTemps(3_600_000)).toBe(3);
    expect(fs.existsSync(dir('killed'))).toBe(false);
    expect(fs.readdirSync(dir('busy'))).toEqual(['.tmp-cccc-source.mp4']);
    expect(fs.readdirSync(dir('kept'))).toEqual(['source.mp4']);
    expect(await new LocalStorage(path.join(root, 'nowhere')).removeStaleTemps(0)).toBe(0);
  });

  it('reads inclusive byte ranges', async () => {
    await storage.write('videos/d/outputs/o.bin', Buffer.from('0123456789'));
    const chunks: Buffer[] = [];
    for await (const c of storage.createReadStream('videos/d/outputs/o.bin', { start: 2, end: 5 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('2345');
  });

  it('deletes a prefix', async () => {
    await storage.write('videos/e/source.mp4', 'x');
    await storage.deletePrefix('videos/e/');
    expect(fs.existsSync(path.join(root, 'videos/e'))).toBe(false);
  });

  it.each(['../etc/passwd', 'videos/../../x', '/abs/path', 'videos//x', 'videos/a/..', 'videos/.hidden', ''])(
    'refuses the unsafe key %j',
    (key) => {
      expect(() => assertSafeKey(key)).toThrow(/Unsafe storage key/);
    },
  );
});
