// The fallback decoder's plan: runs of `chunkSeconds` on the file's clock, each seeking to its start
// and stopping at the next one's start in stream time-base units; the first without a seek, the last without an end.
import { describe, expect, it } from 'vitest';
import type { MediaInfo } from '../analysis/media-probe';
import { decodeChunks } from './ffmpeg-frames';

const media = (duration: number, startTime = 0) => ({
  media: { duration, startTime } as MediaInfo,
  timeBase: [1, 12_800] as [number, number],
});

describe('decodeChunks', () => {
  it('splits the duration into runs that meet exactly, in time-base units', () => {
    expect(decodeChunks(media(5), 2)).toEqual([
      { endPts: 25_600 },
      { seekTo: 2, startPts: 25_600, endPts: 51_200 },
      { seekTo: 4, startPts: 51_200 },
    ]);
  });

  it('decodes a short file in one run, and counts from the container start time', () => {
    expect(decodeChunks(media(1.5), 2)).toEqual([{}]);
    expect(decodeChunks(media(4, 1), 2)).toEqual([{ endPts: 38_400 }, { seekTo: 3, startPts: 38_400 }]);
  });
});
