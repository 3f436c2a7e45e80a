// PocketSphinx word-time lines: fillers and hypothesis lines dropped, variants merged, times kept.
import { describe, expect, it } from 'vitest';
import { pocketsphinxOutput } from './pocketsphinx-output';

// Recorded from pocketsphinx_continuous 0.8+5prealpha (-time yes) on timecode-banana.mp4, shortened.
const RECORDED = `hello
<s> 0.000 0.060 0.999000
hello 0.070 0.500 0.981034
</s> 0.510 0.920 1.000000
when the time reaches forty seconds i will say banana
<s> 13.760 13.830 0.999600
when 13.840 14.140 0.989554
[NOISE] 14.150 14.300 0.700000
will(2) 16.200 16.380 0.603953
<sil> 16.390 16.400 0.548828
banana 16.680 17.210 1.000100
</s> 17.220 17.650 1.000000
`;

describe('pocketsphinxOutput', () => {
  it('keeps spoken words with absolute times, inclusive end frames and 0–1 confidence', () => {
    const words = pocketsphinxOutput(RECORDED);
    expect(words.map((w) => w.word)).toEqual(['hello', 'when', 'will', 'banana']);
    expect(words[0]).toEqual({ word: 'hello', start: 0.07, end: 0.51, confidence: 0.981034 });
    expect(words[2]!.start).toBe(16.2);
    expect(words[3]!.confidence).toBe(1);
  });

  it('ignores a hypothesis line that happens to look like nothing timed, and empty output', () => {
    expect(pocketsphinxOutput('banana\n\n')).toEqual([]);
    expect(pocketsphinxOutput('')).toEqual([]);
  });
});
