// Who spoke when, from audio alone: per-file-normalised MFCC features and VAD speech regions in;
// 1 s windows (0.25 s hop) summarised as MAP-adapted GMM supervectors of a background model fitted on
// the file, spectral clustering and BIC merging (the speaker count), then resegmentation with
// per-speaker GMMs and a Viterbi pass per speech region. Returns turns `{ start, end, speaker: 'S1' … }`
// with speakers numbered by first appearance.
import { spectralClustering } from './clustering';
import { adaptedSupervector, adaptMeans, frameLogLikelihoods, framePosteriors, trainGmm, type Gmm } from './gmm';
import type { Features } from './mfcc';
import type { SpeechRegion } from './silero-vad';

export interface DiarizationOptions {
  /** The number of speakers when known; otherwise estimated within [minSpeakers, maxSpeakers]. */
  numSpeakers?: number;
  /** Defaults 1 and 6. */
  minSpeakers?: number;
  maxSpeakers?: number;
  /** Seconds per clustering window and between window starts. Defaults 1.0 and 0.25. */
  window?: number;
  windowHop?: number;
  /** Components of the file's background GMM. Default 16. */
  components?: number;
  /** MAP relevance factor (frames) for supervectors and speaker models. Default 16. */
  relevance?: number;
  /** Resegmentation passes (speaker models re-estimated from the previous labels). Default 2. */
  resegmentations?: number;
  /**
   * Log-likelihood (nats) a change of speaker costs in the Viterbi pass: frame scores are noisy, and
   * this keeps turns from flickering at the 10 ms frame rate. Default 60.
   */
  switchPenalty?: number;
  /**
   * λ of the BIC merge that decides the count when it is unknown. Measured: two same-channel voices
   * merge from λ ≈ 2.3, one voice split in two merges from λ ≈ 2.1 — a narrow margin; prefer a known
   * count or the face prior when there is one. Default 2.15. Its merges stand; `mergeRatio` adds
   * those the BIC refuses on longer files.
   */
  bicPenalty?: number;
  /**
   * Duration-invariant merge rule next to the BIC (see BicOptions.ratio): a pair also merges while its
   * likelihood loss per speech frame is at most this many times that of the first merge. Measured on
   * the test voices: right counts from 1.6 to 2.0. Default 1.8; 0 leaves the BIC alone.
   */
  mergeRatio?: number;
  /**
   * Pauses up to this long (seconds) are bridged: a turn lasts until the next voice starts. Turns,
   * not bare speech, are what the camera follows and what the conversation truth marks. Default 1.5.
   */
  maxBridge?: number;
  /** Shorter segments join the segment they touch (see absorbShortSegments). Default 0.3. */
  minSegment?: number;
  /** Frames the background model is fitted on at most (evenly subsampled beyond). Default 30 000. */
  maxModelFrames?: number;
  /** Windows clustered at most (see SpectralOptions.maxPoints). Default 200. */
  maxClusterWindows?: number;
}

export interface SpeakerSegment {
  start: number;
  end: number;
  speaker: string;
}

/** Speech frames of the features: their frame indices, grouped by region. */
function regionFrames(features: Features, regions: readonly SpeechRegion[]): number[][] {
  return regions
    .map((r) => {
      const from = Math.max(0, Math.ceil(r.start / features.hop));
      const to = Math.min(features.frames, Math.floor(r.end / features.hop));
      return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
    })
    .filter((f) => f.length > 0);
}

function gather(features: Features, frames: readonly number[]): Float32Array {
  const { dim, data } = features;
  const out = new Float32Array(frames.length * dim);
  frames.forEach((f, i) => out.set(data.subarray(f * dim, (f + 1) * dim), i * dim));
  return out;
}

export function diarize(features: Features, regions: readonly SpeechRegion[], o: DiarizationOptions = {}): SpeakerSegment[] {
  const { window = 1, windowHop = 0.25, components = 16, relevance = 16, resegmentations = 2, switchPenalty = 60 } = o;
  const { maxModelFrames = 30_000, maxClusterWindows = 200, bicPenalty = 2.15, mergeRatio = 1.8, maxBridge = 1.5, minSegment = 0.3 } = o;
  const groups = regionFrames(features, regions);
  const indices = groups.flat();
  if (!indices.length) return [];
  const { dim } = features;
  const speech = gather(features, indices);
  const n = indices.length;
  const stride = Math.max(1, Math.ceil(n / maxModelFrames));
  const modelFrames =
    stride > 1
      ? gather(
          features,
          indices.filter((_, i) => i % stride === 0),
        )
      : speech;
  const ubm = trainGmm(modelFrames, dim, { components });
  const posteriors = framePosteriors(ubm, speech);

  // Windows in speech-frame positions, never straddling a region boundary (a pause often is a turn).
  const wlen = Math.max(1, Math.round(window / features.hop));
  const whop = Math.max(1, Math.round(windowHop / features.hop));
  const windows: { from: number; to: number }[] = [];
  let offset = 0;
  for (const g of groups) {
    const len = g.length;
    if (len <= wlen) windows.push({ from: offset, to: offset + len });
    else {
      for (let s = 0; s + wlen <= len; s += whop) windows.push({ from: offset + s, to: offset + s + wlen });
      if ((len - wlen) % whop) windows.push({ from: offset + len - wlen, to: offset + len });
    }
    offset += len;
  }
  const svDim = ubm.means.length;
  const embeddings = new Float64Array(windows.length * svDim);
  windows.forEach((w, i) => embeddings.set(adaptedSupervector(ubm, speech, posteriors, w.from, w.to, relevance), i * svDim));
  const minSpeakers = o.minSpeakers ?? 1;
  const maxSpeakers = o.maxSpeakers ?? 6;
  const windowLabels = spectralClustering(embeddings, svDim, {
    // Over-cluster, then merge by BIC (down to the count when known). The eigengap alone found 5 and 1
    // speakers in the two-person test conversations (a 20 s clip has few, strongly correlated windows),
    // and a direct 2-way cut of the still-listener one confused 8 s of 22.
    numClusters: Math.max(o.numSpeakers ?? 0, maxSpeakers),
    minClusters: minSpeakers,
    maxClusters: maxSpeakers,
    maxPoints: maxClusterWindows,
  });
  let speakers = windowLabels.reduce((m, l) => Math.max(m, l + 1), 0);

  // Frame labels: the vote of the windows covering each frame, weighted towards window centres.
  let labels: Int32Array = new Int32Array(n);
  const votes = new Float64Array(n * speakers);
  windows.forEach((w, i) => {
    const half = (w.to - w.from) / 2;
    for (let f = w.from; f < w.to; f++) votes[f * speakers + windowLabels[i]!]! += 1 - Math.abs(f + 0.5 - w.from - half) / (half + 1);
  });
  for (let f = 0; f < n; f++) labels[f] = argmax(votes, f * speakers, speakers);
  labels = mergeByBic(speech, dim, labels, {
    minClusters: o.numSpeakers ?? minSpeakers,
    maxClusters: o.numSpeakers ?? maxSpeakers,
    penalty: bicPenalty,
    ...(mergeRatio > 0 ? { ratio: mergeRatio } : {}),
  });
  speakers = labels.reduce((m, l) => Math.max(m, l + 1), 0);

  for (let pass = 0; pass < resegmentations && speakers > 1; pass++)
    labels = resegment(ubm, speech, labels, speakers, groups, relevance, switchPenalty);
  return renameByFirstAppearance(
    bridgePauses(absorbShortSegments(toSegments(features.hop, regions, groups, labels), minSegment), maxBridge),
  );
}

export interface BicOptions {
  /** Leading feature dimensions modelled (the static cepstra). Default 19. */
  dims?: number;
  /** Clusters never merged below this count, and always merged down to the second. Defaults 1 and ∞. */
  minClusters?: number;
  maxClusters?: number;
  /** Weight λ of the BIC complexity penalty. Default 1. */
  penalty?: number;
  /**
   * When set, the best pair (by ΔBIC) also merges when ΔBIC ≥ 0 if its log-likelihood loss per frame
   * of the whole input is at most `ratio` times that of the first merge: the file's own same-voice
   * scale (with more initial clusters than voices, two of them share one), which the file's length
   * does not change.
   */
  ratio?: number;
}

/**
 * Agglomerative merging of frame clusters by the Bayesian information criterion with full-covariance
 * Gaussians: the pair whose merge costs least is merged while ΔBIC < 0 (or while there are more
 * than maxClusters). The eigengap miscounts on short clips; BIC decides "same voice or not" from the
 * frames themselves. Returns labels renumbered 0…k−1 by first appearance.
 *
 * The BIC's likelihood loss grows with the frames merged and its penalty only with their logarithm:
 * two clusters of one voice hold different sounds, so on a longer file even they never merge (a
 * 60 s loop of a 22 s two-person clip kept 6 speakers). With `ratio` the loss is also taken per frame
 * of the input and compared with the file's first merge, which neither the file's length nor its
 * recording conditions change. It cannot tell one voice from two (a single voice's last merge costs
 * as much as two voices'); that is left to the BIC, which merges one voice on short clips only.
 */
export function mergeByBic(data: Float32Array, dim: number, labels: Int32Array, o: BicOptions = {}): Int32Array {
  const { dims = Math.min(19, dim), minClusters = 1, maxClusters = Infinity, penalty = 1 } = o;
  const out = Int32Array.from(labels);
  const n = labels.length;
  const params = dims + (dims * (dims + 1)) / 2;
  let reference: number | undefined;
  for (;;) {
    const ids = [...new Set(out)].sort((a, b) => a - b);
    if (ids.length <= Math.max(1, minClusters)) break;
    const frames = new Map(ids.map((id) => [id, [] as number[]]));
    out.forEach((l, f) => frames.get(l)!.push(f));
    const cost = (fs: number[]) => (fs.length / 2) * logDetCovariance(data, dim, dims, fs);
    const own = new Map(ids.map((id) => [id, cost(frames.get(id)!)]));
    let best: { delta: number; loss: number; a: number; b: number } | undefined;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i]!;
        const b = ids[j]!;
        const both = [...frames.get(a)!, ...frames.get(b)!];
        const loss = cost(both) - own.get(a)! - own.get(b)!;
        const delta = loss - (penalty / 2) * params * Math.log(both.length);
        if (!best || delta < best.delta) best = { delta, loss: loss / n, a, b };
      }
    }
    if (best && o.ratio) {
      reference ??= best.loss;
      if (best.loss <= o.ratio * reference) best.delta = Math.min(best.delta, -1);
    }
    if (!best || (best.delta >= 0 && ids.length <= maxClusters)) break;
    for (let f = 0; f < n; f++) if (out[f] === best.b) out[f] = best.a;
  }
  const names = new Map<number, number>();
  return out.map((l) => {
    if (!names.has(l)) names.set(l, names.size);
    return names.get(l)!;
  });
}

/** log |Σ| of the first `dims` features of `frames` (Cholesky; a small ridge keeps it finite). */
function logDetCovariance(data: Float32Array, dim: number, dims: number, frames: readonly number[]): number {
  const n = frames.length;
  const mean = new Float64Array(dims);
  for (const f of frames) for (let d = 0; d < dims; d++) mean[d]! += data[f * dim + d]! / n;
  const c = new Float64Array(dims * dims);
  for (const f of frames) {
    for (let i = 0; i < dims; i++) {
      const xi = data[f * dim + i]! - mean[i]!;
      for (let j = 0; j <= i; j++) c[i * dims + j]! += (xi * (data[f * dim + j]! - mean[j]!)) / n;
    }
  }
  let logDet = 0;
  for (let i = 0; i < dims; i++) {
    for (let j = 0; j <= i; j++) {
      let s = c[i * dims + j]! + (i === j ? 1e-4 : 0);
      for (let k = 0; k < j; k++) s -= c[i * dims + k]! * c[j * dims + k]!;
      if (i === j) {
        const v = Math.sqrt(Math.max(s, 1e-12));
        c[i * dims + i] = v;
        logDet += 2 * Math.log(v);
      } else c[i * dims + j] = s / c[j * dims + j]!;
    }
  }
  return logDet;
}

function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[from + i]! > values[from + best]!) best = i;
  return best;
}

/** One resegmentation pass: a speaker model adapted from the background model, then Viterbi per region. */
function resegment(
  ubm: Gmm,
  speech: Float32Array,
  labels: Int32Array,
  speakers: number,
  groups: number[][],
  relevance: number,
  penalty: number,
): Int32Array {
  const { dim } = ubm;
  const n = labels.length;
  const scores = new Float64Array(n * speakers).fill(-Infinity);
  for (let s = 0; s < speakers; s++) {
    const own = Array.from(labels.keys()).filter((f) => labels[f] === s);
    // A speaker left without frames drops out: its state can never be entered again.
    if (!own.length) continue;
    const data = new Float32Array(own.length * dim);
    own.forEach((f, i) => data.set(speech.subarray(f * dim, (f + 1) * dim), i * dim));
    const ll = frameLogLikelihoods(adaptMeans(ubm, data, relevance), speech);
    for (let f = 0; f < n; f++) scores[f * speakers + s] = ll[f]!;
  }
  const out = new Int32Array(n);
  let offset = 0;
  for (const g of groups) {
    out.set(viterbi(scores.subarray(offset * speakers, (offset + g.length) * speakers), speakers, penalty), offset);
    offset += g.length;
  }
  return out;
}

/** The best state path through per-frame state scores (frames × states) with a fixed switch cost. */
export function viterbi(scores: Float64Array, states: number, switchPenalty: number): Int32Array {
  const frames = scores.length / states;
  const back = new Int32Array(frames * states);
  let prev = Float64Array.from(scores.subarray(0, states));
  for (let f = 1; f < frames; f++) {
    const cur = new Float64Array(states);
    const bestPrev = argmax(prev, 0, states);
    for (let s = 0; s < states; s++) {
      const stay = prev[s]!;
      const jump = prev[bestPrev]! - switchPenalty;
      const from = stay >= jump ? s : bestPrev;
      back[f * states + s] = from;
      cur[s] = Math.max(stay, jump) + scores[f * states + s]!;
    }
    prev = cur;
  }
  const path = new Int32Array(frames);
  if (!frames) return path;
  path[frames - 1] = argmax(prev, 0, states);
  for (let f = frames - 1; f > 0; f--) path[f - 1] = back[f * states + path[f]!]!;
  return path;
}

/** Runs of equal labels as segments, the first and last of a region stretched to its bounds. */
function toSegments(hop: number, regions: readonly SpeechRegion[], groups: number[][], labels: Int32Array): SpeakerSegment[] {
  const raw: { start: number; end: number; label: number }[] = [];
  let offset = 0;
  for (const g of groups) {
    const first = g[0]! * hop;
    const last = (g.at(-1)! + 1) * hop;
    const region = regions.find((r) => r.start <= first + hop && r.end >= last - hop) ?? { start: first, end: last };
    let runStart = 0;
    for (let i = 1; i <= g.length; i++) {
      if (i < g.length && labels[offset + i] === labels[offset + runStart]) continue;
      raw.push({
        start: runStart === 0 ? region.start : g[runStart]! * hop,
        end: i === g.length ? region.end : g[i]! * hop,
        label: labels[offset + runStart]!,
      });
      runStart = i;
    }
    offset += g.length;
  }
  return raw.map((r) => ({ start: round3(r.start), end: round3(r.end), speaker: String(r.label) }));
}

/** Speakers renamed S1, S2, … in order of first appearance. */
function renameByFirstAppearance(segments: SpeakerSegment[]): SpeakerSegment[] {
  const names = new Map<string, string>();
  return segments.map((s) => {
    if (!names.has(s.speaker)) names.set(s.speaker, `S${names.size + 1}`);
    return { ...s, speaker: names.get(s.speaker)! };
  });
}

/**
 * Closes pauses of at most `maxBridge` seconds between consecutive segments: the earlier turn holds
 * the floor until the next voice starts (see DiarizationOptions.maxBridge).
 */
export function bridgePauses(segments: readonly SpeakerSegment[], maxBridge: number): SpeakerSegment[] {
  const out: SpeakerSegment[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && s.start - last.end <= maxBridge && last.speaker === s.speaker) last.end = s.end;
    else if (last && s.start - last.end <= maxBridge) {
      last.end = s.start;
      out.push({ ...s });
    } else out.push({ ...s });
  }
  return out;
}

/**
 * Segments shorter than `minSegment` seconds that touch a neighbour join it (the longer neighbour
 * when both touch): a 0.1 s turn is a resegmentation artefact, not a speaker change.
 */
export function absorbShortSegments(segments: readonly SpeakerSegment[], minSegment: number): SpeakerSegment[] {
  const out = segments.map((s) => ({ ...s }));
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!;
    if (s.end - s.start >= minSegment) continue;
    const prev = out[i - 1];
    const next = out[i + 1];
    const touchesPrev = prev && s.start - prev.end < 1e-6;
    const touchesNext = next && next.start - s.end < 1e-6;
    const into = touchesPrev && (!touchesNext || prev.end - prev.start >= next!.end - next!.start) ? prev : touchesNext ? next : undefined;
    if (into) s.speaker = into.speaker;
  }
  const merged: SpeakerSegment[] = [];
  for (const s of out) {
    const last = merged.at(-1);
    if (last && last.speaker === s.speaker && s.start - last.end < 1e-6) last.end = s.end;
    else merged.push(s);
  }
  return merged;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
