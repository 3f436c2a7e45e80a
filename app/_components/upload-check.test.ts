// The pre-upload check: type or extension, emptiness and the size limit, with messages that name the file.
import { describe, expect, it } from 'vitest';
import { checkFile } from './upload-check';

const GB = 1024 ** 3;

describe('checkFile', () => {
  it('accepts a video by its MIME type or, when the browser gives none, by its extension', () => {
    expect(checkFile({ name: 'talk.mp4', type: 'video/mp4', size: 10 }, GB)).toBeNull();
    expect(checkFile({ name: 'talk.MKV', type: '', size: 10 }, GB)).toBeNull();
  });

  it('refuses text files, files without an extension, empty files and files over the limit', () => {
    expect(checkFile({ name: 'notes.txt', type: 'text/plain', size: 10 }, GB)).toBe(
      '“notes.txt” is not a video file. Choose an MP4, MOV, WebM or MKV file.',
    );
    expect(checkFile({ name: 'mp4', type: '', size: 10 }, GB)).toMatch(/not a video file/);
    expect(checkFile({ name: 'a.mp4', type: 'video/mp4', size: 0 }, GB)).toBe('“a.mp4” is empty.');
    expect(checkFile({ name: 'big.mov', type: 'video/quicktime', size: 3 * GB }, 2 * GB)).toBe(
      '“big.mov” is 3.0 GB; the upload limit is 2.0 GB.',
    );
  });
});
