// The local storage driver on a real folder: the shared storage contract (storage.cases.ts), plus what
// only a folder shows: no temp files left behind beside a replaced file, the start-up sweep of temp
// files left by a killed process, and refusal of unsafe keys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from './local-storage.repository';
import { storageCases } from './storage.cases';
import { assertSafeKey } from './storage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-'));
const storage = new LocalStorage(root);
const filesUnder = (dir: string) => fs.readdirSync(path.join(root, dir), { recursive: true }).map(String);

describe('LocalStorage: the storage contract', () => storageCases(() => storage));

describe('LocalStorage', () => {
  it('leaves no temp files beside a replaced file or after a failed stream', async () => {
    await storage.write('videos/x/results/x.json', '{"v":1}');
    await storage.write('videos/x/results/x.json', '{"v":2}');
    expect(filesUnder('videos/x/results')).toEqual(['x.json']);
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(storage.writeStream('videos/y/source.mp4', failing)).rejects.toThrow('connection reset');
    expect(filesUnder('videos/y')).toEqual([]);
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

  it.each(['../etc/passwd', 'videos/../../x', '/abs/path', 'videos//x', 'videos/a/..', 'videos/.hidden', ''])(
    'refuses the unsafe key %j',
    (key) => {
      expect(() => assertSafeKey(key)).toThrow(/Unsafe storage key/);
    },
  );
});
