// The local storage driver on a real folder: the shared storage contract (storage.cases.ts), plus what
// only a folder shows: no temp files left behind beside a replaced file, and refusal of unsafe keys.
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

  it.each(['../etc/passwd', 'videos/../../x', '/abs/path', 'videos//x', 'videos/a/..', 'videos/.hidden', ''])(
    'refuses the unsafe key %j',
    (key) => {
      expect(() => assertSafeKey(key)).toThrow(/Unsafe storage key/);
    },
  );
});
