// The stored source's extension: from the file name, else the content type, else mp4.
import { describe, expect, it } from 'vitest';
import { sourceExtension } from './source-extension';

describe('sourceExtension', () => {
  it.each([
    ['talk.MOV', null, 'mov'],
    ['clip.webm', 'video/mp4', 'webm'],
    ['download', 'video/webm; charset=binary', 'webm'],
    ['evil.sh', null, 'mp4'],
    ['../../x.mkv', null, 'mkv'],
    [null, 'text/html', 'mp4'],
  ] as const)('%s (%s) → %s', (name, type, ext) => {
    expect(sourceExtension(name, type)).toBe(ext);
  });
});
