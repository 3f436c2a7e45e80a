// Silero VAD framing (context carried between frames) and speech regions with hysteresis.
import { describe, expect, it } from 'vitest';
import { speechRegions, VAD_CONTEXT, VAD_FRAME, VadFramer } from './silero-vad';

describe('VadFramer', () => {
  it('emits 576-sample inputs whose first 64 samples are the previous frame’s tail', () => {
    const f = new VadFramer();
    const samples = Float32Array.from({ length: 1300 }, (_, i) => i);
    const frames = [...f.push(samples.subarray(0, 700)), ...f.push(samples.subarray(700))];
    expect(frames).toHaveLength(2);
    expect(frames[0]!.length).toBe(VAD_CONTEXT + VAD_FRAME);
    expect(Array.from(frames[0]!.subarray(0, VAD_CONTEXT))).toEqual(Array(64).fill(0));
    expect(frames[0]![VAD_CONTEXT]).toBe(0);
    expect(frames[1]![0]).toBe(512 - 64);
    expect(frames[1]![VAD_CONTEXT]).toBe(512);
    const last = f.flush();
    expect(last).toHaveLength(1);
    expect(last[0]![VAD_CONTEXT]).toBe(1024);
    expect(last[0]![VAD_CONTEXT + 1300 - 1024]).toBe(0);
    expect(f.flush()).toEqual([]);
  });
});

describe('speechRegions', () => {
  const hop = 0.1;
  it('uses hysteresis, bridges short silences, drops blips and pads', () => {
    const p = [0, 0.6, 0.4, 0.9, 0.1, 0.1, 0.8, 0.8, 0, 0, 0, 0, 0.9, 0, 0, 0];
    expect(speechRegions(p, hop, { minSilence: 0.25, minSpeech: 0.15, pad: 0 })).toEqual([{ start: 0.1, end: 0.8 }]);
    expect(speechRegions(p, hop, { minSilence: 0.1, minSpeech: 0.15, pad: 0 })).toEqual([
      { start: 0.1, end: 0.4 },
      { start: 0.6, end: 0.8 },
    ]);
    expect(speechRegions([1, 1, 1], hop, { pad: 0.05, minSpeech: 0 })).toEqual([{ start: 0, end: 0.3 }]);
  });
});
