// Pure framing for Silero VAD v5: 16 kHz mono samples in, model inputs out — one 512-sample frame
// (32 ms) per run, preceded by the previous frame's last 64 samples as context (as the model's own
// wrapper does; without it the probabilities are off). Fed arbitrary-length sample chunks; returns
// frames ready for the runtime. Also turns per-frame probabilities into speech regions.

export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME = 512;
export const VAD_CONTEXT = 64;
/** Seconds per VAD frame. */
export const VAD_HOP = VAD_FRAME / VAD_SAMPLE_RATE;

/** Cuts a stream of samples into model inputs of VAD_CONTEXT + VAD_FRAME samples. */
export class VadFramer {
  private readonly pending = new Float32Array(VAD_FRAME);
  private filled = 0;
  private context = new Float32Array(VAD_CONTEXT);

  /** Frames completed by `samples`, each a fresh [context, frame] array. */
  push(samples: Float32Array): Float32Array[] {
    const out: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(VAD_FRAME - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === VAD_FRAME) out.push(this.emit());
    }
    return out;
  }

  /** The last partial frame, zero-padded (none when the stream ended on a frame boundary). */
  flush(): Float32Array[] {
    if (this.filled === 0) return [];
    this.pending.fill(0, this.filled);
    return [this.emit()];
  }

  private emit(): Float32Array {
    const input = new Float32Array(VAD_CONTEXT + VAD_FRAME);
    input.set(this.context, 0);
    input.set(this.pending, VAD_CONTEXT);
    this.context = this.pending.slice(VAD_FRAME - VAD_CONTEXT);
    this.filled = 0;
    return input;
  }
}

export interface SpeechRegion {
  start: number;
  end: number;
}

export interface RegionOptions {
  /** Probability at which speech starts. Default 0.5. */
  onThreshold?: number;
  /** Probability below which speech ends (hysteresis). Default 0.35. */
  offThreshold?: number;
  /** Silences shorter than this (seconds) inside speech are bridged. Default 0.3. */
  minSilence?: number;
  /** Speech shorter than this (seconds) is dropped. Default 0.25. */
  minSpeech?: number;
  /** Seconds added before and after each region. Default 0.03. */
  pad?: number;
}

/** Speech regions from per-frame probabilities (frame i covers [i·hop, (i+1)·hop)). */
export function speechRegions(probabilities: ArrayLike<number>, hop = VAD_HOP, o: RegionOptions = {}): SpeechRegion[] {
  const { onThreshold = 0.5, offThreshold = 0.35, minSilence = 0.3, minSpeech = 0.25, pad = 0.03 } = o;
  const raw: SpeechRegion[] = [];
  let start = -1;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (start < 0 && p >= onThreshold) start = i;
    else if (start >= 0 && p < offThreshold) {
      raw.push({ start: start * hop, end: i * hop });
      start = -1;
    }
  }
  if (start >= 0) raw.push({ start: start * hop, end: probabilities.length * hop });
  const merged: SpeechRegion[] = [];
  for (const r of raw) {
    const last = merged.at(-1);
    if (last && r.start - last.end < minSilence) last.end = r.end;
    else merged.push({ ...r });
  }
  const total = probabilities.length * hop;
  return merged
    .filter((r) => r.end - r.start >= minSpeech)
    .map((r) => ({ start: round3(Math.max(0, r.start - pad)), end: round3(Math.min(total, r.end + pad)) }));
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
