// Active speaker by audio-visual synchrony (recipe measured in shared/research/active-speaker.md; the
// options note where the defaults depart from it and why): per face track, how fast the mouth opens
// and closes is correlated with the loudness of the audio; the face whose mouth follows the sound
// best, gated by voice activity, is the one speaking.
// Fed each track's mouth-open ratio at the analysed frames, the audio's RMS envelope and Silero VAD
// probabilities; returns the active_speaker result: per track, a score and a speaking flag per frame.

export type ActiveSpeakerOptions = {
  /** Seconds of signal each correlation sees: 1 s was noisy, 4 s straddled turns. Default 2. */
  window?: number;
  /** Audio may lead or trail the picture by up to this many seconds (real clips carry different A/V
   *  offsets). A track's offset is the lag, within this range, at which its mouth follows the speech
   *  best over `lagSpan` seconds around each moment. Default 0.2. */
  maxLag?: number;
  /** Seconds of signal the A/V offset is fitted over, centred on each moment. One offset for a whole
   *  clip fails where the audio drifts against the picture (a loop made with `-stream_loop` gains
   *  17 ms a loop: one frame late after two, and the first loop's speaker was missed); 20 s hold
   *  several turns, so a listener's chance alignments stay outvoted. Default 20. */
  lagSpan?: number;
  /** Correlation a stretch's own offset must gain over the clip's to replace it. Default 0.05. */
  lagGain?: number;
  /** Each window may shift its lag this far (seconds) around the track's offset. Searching the whole
   *  ±maxLag per window (the research's rule) lets a talking listener find some alignment with someone
   *  else's syllables: 77 % against 90 % pooled on four built muted-listener clips. Default 0. */
  lagSlack?: number;
  /** Samples of the moving average applied to the mouth ratio before taking its speed (odd). With crops
   *  that follow the mesh every frame the ratio is steady enough without: 3 samples cost 14 points on
   *  two-people-muted-listener (and gained 4 pooled on four other built clips). Default 1. */
  mouthSmoothing?: number;
  /** Variance floor added to the mouth signal, as a fraction of the track's whole-clip std: without it a
   *  nearly frozen face shows spurious correlations up to ~0.35. Default 0.1. */
  varianceFloor?: number;
  /** Mouth speed (ratio per sample) that is landmark jitter, added to the floor: a face frozen for the
   *  whole clip has no speaking turns to set a relative floor (measured jitter ~0.0004 against
   *  0.012–0.035 on speaking faces). Default 0.002. */
  mouthNoise?: number;
  /** Seconds of the running median over each track's correlation: a turn lasts several seconds, and
   *  3 s beat 2 s on three of six measured conversations (by 2–8 points), lost on one. Default 3. */
  median?: number;
  /** Correlation a face must reach to count as speaking when no other face competes (a single face,
   *  or a speaker off screen). Chance correlations of an unrelated mouth reach it too (a face
   *  mouthing other words scored as speaking 15–64 % of the time on synthetic signals), so a lone
   *  face is judged less surely than two compared. Real talking heads speak 76–99 % at 0.15. Default 0.15. */
  minCorrelation?: number;
  /** Correlation difference that moves the score from 0.5 to 0.73 (logistic scale). Default 0.05. */
  temperature?: number;
  /** Seconds over which the VAD probability's running maximum is taken, so the pauses between words
   *  do not switch a speaker off. Default 0.5. */
  vadBridge?: number;
  /** A track starts speaking at this score. Default 0.6. */
  onThreshold?: number;
  /** …and stops below this one. Default 0.4. */
  offThreshold?: number;
  /** Mouth samples further apart than this (seconds) are not interpolated across. Default 0.25. */
  maxMouthGap?: number;
};

const DEFAULTS: Required<ActiveSpeakerOptions> = {
  window: 2,
  maxLag: 0.2,
  lagSpan: 20,
  lagGain: 0.05,
  mouthSmoothing: 1,
  varianceFloor: 0.1,
  mouthNoise: 0.002,
  median: 3,
  minCorrelation: 0.15,
  temperature: 0.05,
  vadBridge: 0.5,
  onThreshold: 0.6,
  offThreshold: 0.4,
  maxMouthGap: 0.25,
  lagSlack: 0,
};

/** One analysed frame of a track: the mouth-open ratio, or null when the mesh found no face. */
export type MouthSample = { timestamp: number; frame_number: number; ratio: number | null };

export type MouthTrack = { face_id: number; samples: MouthSample[] };

export type ActiveSpeakerInput = {
  video_fps: number;
  total_frames: number;
  /** Each track's samples in time order, one per analysed frame in which the track is visible. */
  tracks: MouthTrack[];
  /** Audio RMS, value k centred at k·envelopeHop seconds (see rmsEnvelope). */
  envelope: ArrayLike<number>;
  envelopeHop: number;
  /** Speech probabilities, value i covering [i·vadHop, (i+1)·vadHop). Empty: no audio, nobody speaks. */
  vad: ArrayLike<number>;
  vadHop: number;
};

export type SpeakerScore = { timestamp: number; frame_number: number; score: number; speaking: boolean };

export type SpeakerTrack = {
  face_id: number;
  first_seen: number;
  last_seen: number;
  speaking_fraction: number;
  scores: SpeakerScore[];
};

export type ActiveSpeakerResult = {
  model: 'active_speaker';
  video_fps: number;
  total_frames: number;
  track_count: number;
  tracks: SpeakerTrack[];
};

/** RMS of 16 kHz (or any rate) mono samples in windows of `hop` seconds, value k centred at k·hop. */
export function rmsEnvelope(samples: Float32Array, sampleRate: number, hop: number): Float32Array {
  const envelope = new RmsEnvelope(sampleRate, hop);
  envelope.push(samples);
  return envelope.finish();
}

/**
 * rmsEnvelope over audio that arrives in chunks, so a long file's samples need not be held: value k is
 * the RMS of samples [round((k − ½)·hop·rate), round((k + ½)·hop·rate)), the windows tiling the signal.
 */
export class RmsEnvelope {
  private readonly values: number[] = [];
  private seen = 0;
  private sum = 0;
  /** First sample of the next window. */
  private boundary: number;

  constructor(
    private readonly sampleRate: number,
    private readonly hop: number,
  ) {
    this.boundary = this.windowStart(1);
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      while (this.seen >= this.boundary) this.close();
      this.sum += samples[i]! * samples[i]!;
      this.seen++;
    }
  }

  finish(): Float32Array {
    const n = this.seen ? Math.ceil(this.seen / (this.sampleRate * this.hop) + 0.5) : 0;
    while (this.values.length < n) {
      // The window in progress ends at the last sample; windows wholly beyond it are silent.
      const from = this.windowStart(this.values.length);
      const to = Math.min(this.seen, this.boundary);
      this.values.push(to > from ? Math.sqrt(this.sum / (to - from)) : 0);
      this.sum = 0;
      this.boundary = this.windowStart(this.values.length + 1);
    }
    return Float32Array.from(this.values);
  }

  private windowStart(k: number): number {
    return Math.max(0, Math.round((k - 0.5) * this.hop * this.sampleRate));
  }

  private close(): void {
    const from = this.windowStart(this.values.length);
    this.values.push(this.boundary > from ? Math.sqrt(this.sum / (this.boundary - from)) : 0);
    this.sum = 0;
    this.boundary = this.windowStart(this.values.length + 1);
  }
}

export function activeSpeaker(input: ActiveSpeakerInput, options: ActiveSpeakerOptions = {}): ActiveSpeakerResult {
  const o = { ...DEFAULTS, ...options };
  const hop = input.envelopeHop;
  const lastTime = Math.max(0, ...input.tracks.map((t) => t.samples.at(-1)?.timestamp ?? 0));
  const length = Math.max(input.envelope.length, Math.round(lastTime / hop) + 1);
  const envelope = Float64Array.from({ length }, (_, k) => (k < input.envelope.length ? input.envelope[k]! : NaN));
  const gate = vadGate(input.vad, input.vadHop, length, hop, o.vadBridge);

  const correlations = input.tracks.map((track) => {
    const speed = mouthSpeed(mouthOnGrid(track.samples, length, hop, o.maxMouthGap), o.mouthSmoothing);
    const floor = (o.varianceFloor * std(speed)) ** 2 + o.mouthNoise ** 2;
    const lags = trackLags(
      speed,
      envelope,
      gate,
      Math.round(o.maxLag / hop),
      Math.round(o.lagSlack / hop),
      Math.round(o.lagSpan / hop / 2),
      o.lagGain,
    );
    const raw = windowedCorrelation(speed, envelope, Math.round(o.window / hop / 2), lags, floor);
    return runningMedian(raw, Math.round(o.median / hop / 2));
  });

  const tracks = input.tracks.map((track, i): SpeakerTrack => {
    const own = correlations[i]!;
    let speaking = false;
    const scores = track.samples.map((s): SpeakerScore => {
      const k = Math.min(length - 1, Math.max(0, Math.round(s.timestamp / hop)));
      const c = own[k]!;
      let score = 0;
      if (!Number.isNaN(c)) {
        // A face must beat the floor and every other face in view at the same time: a listener whose
        // lips move while someone else speaks follows the sound less well than the speaker does.
        let margin = c - o.minCorrelation;
        correlations.forEach((other, j) => {
          if (j !== i && !Number.isNaN(other[k]!)) margin = Math.min(margin, c - other[k]!);
        });
        score = gate[k]! / (1 + Math.exp(-margin / o.temperature));
      }
      speaking = speaking ? score >= o.offThreshold : score >= o.onThreshold;
      return { timestamp: s.timestamp, frame_number: s.frame_number, score: Math.round(score * 1000) / 1000, speaking };
    });
    const spoken = scores.filter((s) => s.speaking).length;
    return {
      face_id: track.face_id,
      first_seen: track.samples[0]?.timestamp ?? 0,
      last_seen: track.samples.at(-1)?.timestamp ?? 0,
      speaking_fraction: scores.length ? Math.round((spoken / scores.length) * 1000) / 1000 : 0,
      scores,
    };
  });
  return { model: 'active_speaker', video_fps: input.video_fps, total_frames: input.total_frames, track_count: tracks.length, tracks };
}

/** The mouth ratio at every grid time k·hop: linear between valid samples at most maxGap apart, the
 *  nearest sample within half a hop otherwise, else NaN. */
export function mouthOnGrid(samples: readonly MouthSample[], length: number, hop: number, maxGap: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  const valid = samples.filter((s): s is MouthSample & { ratio: number } => s.ratio !== null);
  let j = 0;
  for (let k = 0; k < length; k++) {
    const t = k * hop;
    while (j + 1 < valid.length && valid[j + 1]!.timestamp <= t) j++;
    const a = valid[j];
    const b = valid[j + 1];
    if (!a) break;
    if (a.timestamp <= t && b && b.timestamp - a.timestamp <= maxGap) {
      out[k] = a.ratio + ((b.ratio - a.ratio) * (t - a.timestamp)) / (b.timestamp - a.timestamp);
      continue;
    }
    const near = [a, b].find((s) => s && Math.abs(s.timestamp - t) <= hop / 2);
    if (near) out[k] = near.ratio;
  }
  return out;
}

/** |Δ| of the `smoothing`-sample moving average: how fast the mouth moves, not how wide it is open. */
export function mouthSpeed(ratio: Float64Array, smoothing: number): Float64Array {
  const half = Math.floor(smoothing / 2);
  const smooth = new Float64Array(ratio.length).fill(NaN);
  for (let k = half; k + half < ratio.length; k++) {
    let sum = 0;
    for (let j = k - half; j <= k + half; j++) sum += ratio[j]!;
    smooth[k] = sum / (2 * half + 1);
  }
  const out = new Float64Array(ratio.length).fill(NaN);
  for (let k = 1; k < ratio.length; k++) out[k] = Math.abs(smooth[k]! - smooth[k - 1]!);
  return out;
}

/**
 * Pearson correlation of a around k with b, over [k − half, k + half], at the best lag in
 * [−maxLag, maxLag] samples; `floor` is added to a's variance. NaN where fewer than half the window's
 * pairs are valid (NaN marks a missing value).
 */
export function windowedCorrelation(
  a: Float64Array,
  b: Float64Array,
  half: number,
  lags: readonly number[] | ((k: number) => readonly number[]),
  floor: number,
): Float64Array {
  const out = new Float64Array(a.length).fill(NaN);
  for (let k = 0; k < a.length; k++) {
    let best = NaN;
    for (const lag of typeof lags === 'function' ? lags(k) : lags) {
      const m = laggedMoments(a, b, lag, Math.max(0, k - half, -lag), Math.min(a.length - 1, k + half, b.length - 1 - lag));
      if (m.n < half + 1) continue;
      const r = pearson(m, floor);
      if (!Number.isNaN(r) && !(r <= best)) best = r;
    }
    out[k] = best;
  }
  return out;
}

/**
 * The lags (in samples) the window at each grid sample searches: the track's A/V offset there ± slack,
 * within ±maxLag. The offset is the lag at which the track follows the speech best over the whole
 * clip, or over the samples within ±span of that moment where that fits by at least `minGain` better.
 */
export function trackLags(
  speed: Float64Array,
  envelope: Float64Array,
  speech: Float64Array,
  maxLag: number,
  slack: number,
  span = Infinity,
  minGain = 0,
): (k: number) => number[] {
  const all = Array.from({ length: 2 * maxLag + 1 }, (_, i) => i - maxLag);
  const sums = all.map((lag) => prefixMoments(speed, envelope, lag, speech));
  const fit = (from: number, to: number) =>
    all.map((_, i) => {
      const m = momentsBetween(sums[i]!, from, to);
      const r = pearson(m, 0);
      return m.n > 2 && !Number.isNaN(r) ? r : -Infinity;
    });
  const best = (r: number[]) => (Math.max(...r) > -Infinity ? all[r.indexOf(Math.max(...r))]! : NaN);
  const whole = best(fit(0, speed.length - 1));
  const fallback = Number.isNaN(whole) ? 0 : whole;
  const lagsAround = (offset: number) => all.filter((lag) => Math.abs(lag - offset) <= slack);
  if (!(span < speed.length)) {
    const fixed = lagsAround(fallback);
    return () => fixed;
  }
  const memo = new Map<number, number[]>();
  const offsets = Int32Array.from({ length: speed.length }, (_, k) => {
    const r = fit(Math.max(0, k - span), Math.min(speed.length - 1, k + span));
    const local = best(r);
    // A stretch moves off the clip's offset only when it follows the speech clearly better there:
    // a mouth moving to other words finds some alignment by chance, and less data makes that easier.
    return Number.isNaN(local) || r[all.indexOf(local)]! - r[all.indexOf(fallback)]! < minGain ? fallback : local;
  });
  return (k) => {
    const offset = offsets[Math.min(offsets.length - 1, Math.max(0, k))]!;
    let lags = memo.get(offset);
    if (!lags) memo.set(offset, (lags = lagsAround(offset)));
    return lags;
  };
}

/** Running sums (index i holds samples before i) of the Pearson moments of a[i] with b[i + lag] where
 *  speech is likely, for any stretch's moments in O(1). */
function prefixMoments(a: Float64Array, b: Float64Array, lag: number, speech: Float64Array): Float64Array[] {
  const sums = Array.from({ length: 6 }, () => new Float64Array(a.length + 1));
  const [n, sa, sb, saa, sbb, sab] = sums as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = i + lag >= 0 && i + lag < b.length ? b[i + lag]! : NaN;
    const use = !(Number.isNaN(x) || Number.isNaN(y) || speech[i]! < 0.5);
    n[i + 1] = n[i]! + (use ? 1 : 0);
    sa[i + 1] = sa[i]! + (use ? x : 0);
    sb[i + 1] = sb[i]! + (use ? y : 0);
    saa[i + 1] = saa[i]! + (use ? x * x : 0);
    sbb[i + 1] = sbb[i]! + (use ? y * y : 0);
    sab[i + 1] = sab[i]! + (use ? x * y : 0);
  }
  return sums;
}

function momentsBetween(sums: Float64Array[], from: number, to: number): Moments {
  const d = (s: Float64Array) => s[to + 1]! - s[from]!;
  const [n, sa, sb, saa, sbb, sab] = sums.map(d) as [number, number, number, number, number, number];
  return { n, sa, sb, saa, sbb, sab };
}

type Moments = { n: number; sa: number; sb: number; saa: number; sbb: number; sab: number };

/** Sums for a Pearson correlation of a[i] with b[i + lag], i in [from, to], skipping missing (NaN)
 *  values and, with `speech`, samples where speech is unlikely. */
function laggedMoments(a: Float64Array, b: Float64Array, lag: number, from: number, to: number, speech?: Float64Array): Moments {
  const m: Moments = { n: 0, sa: 0, sb: 0, saa: 0, sbb: 0, sab: 0 };
  for (let i = from; i <= to; i++) {
    const x = a[i]!;
    const y = b[i + lag]!;
    if (Number.isNaN(x) || Number.isNaN(y) || (speech && speech[i]! < 0.5)) continue;
    m.n++;
    m.sa += x;
    m.sb += y;
    m.saa += x * x;
    m.sbb += y * y;
    m.sab += x * y;
  }
  return m;
}

/** The correlation from its sums, with `floor` added to a's variance; NaN when a variance is not positive. */
function pearson({ n, sa, sb, saa, sbb, sab }: Moments, floor: number): number {
  const va = saa / n - (sa / n) ** 2 + floor;
  const vb = sbb / n - (sb / n) ** 2;
  return va > 0 && vb > 0 ? (sab / n - (sa / n) * (sb / n)) / Math.sqrt(va * vb) : NaN;
}

/** Median of the valid values in [k − half, k + half]; NaN where the value itself is missing. */
export function runningMedian(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k]!)) continue;
    const w: number[] = [];
    for (let j = Math.max(0, k - half); j <= Math.min(values.length - 1, k + half); j++) if (!Number.isNaN(values[j]!)) w.push(values[j]!);
    w.sort((x, y) => x - y);
    const m = w.length >> 1;
    out[k] = w.length % 2 ? w[m]! : (w[m - 1]! + w[m]!) / 2;
  }
  return out;
}

/** The VAD probability on the grid, as its running maximum over `bridge` seconds; 0 beyond the audio. */
function vadGate(vad: ArrayLike<number>, vadHop: number, length: number, hop: number, bridge: number): Float64Array {
  const out = new Float64Array(length);
  const half = bridge / 2;
  for (let k = 0; k < length; k++) {
    const from = Math.max(0, Math.floor((k * hop - half) / vadHop));
    const to = Math.min(vad.length - 1, Math.floor((k * hop + half) / vadHop));
    let max = 0;
    for (let i = from; i <= to; i++) max = Math.max(max, vad[i]!);
    out[k] = max;
  }
  return out;
}

function std(values: Float64Array): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    sq += v * v;
  }
  return n ? Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2)) : 0;
}
