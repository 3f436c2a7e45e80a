// Diarization error rate as md-eval computes it: reference and hypothesis speaker turns in, scored
// on a 1 ms grid with ±collar seconds around every reference boundary left out, overlapping speech
// scored, and the one-to-one speaker mapping that maximises agreement. Returns DER and its parts.
import type { SpeakerTurn } from './rttm';

export interface DerOptions {
  /** Seconds not scored either side of every reference turn boundary. Default 0.25. */
  collar?: number;
  /** Grid step in seconds. Default 0.001. */
  step?: number;
}

export interface DerResult {
  /** (missed + falseAlarm + confusion) / scored, 0 when nothing was scored. */
  der: number;
  /** Seconds of reference speech scored (a moment with two reference speakers counts twice). */
  scored: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  /** Reference speaker → hypothesis speaker, for the mapped pairs. */
  mapping: Map<string, string>;
}

/** Activity per speaker on a grid of `cells` cells. */
function activity(turns: readonly SpeakerTurn[], step: number, cells: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const t of turns) {
    let a = out.get(t.speaker);
    if (!a) out.set(t.speaker, (a = new Uint8Array(cells)));
    a.fill(1, Math.max(0, Math.round(t.start / step)), Math.min(cells, Math.round(t.end / step)));
  }
  return out;
}

export function diarizationErrorRate(reference: readonly SpeakerTurn[], hypothesis: readonly SpeakerTurn[], o: DerOptions = {}): DerResult {
  const { collar = 0.25, step = 0.001 } = o;
  const end = Math.max(0, ...reference.map((t) => t.end), ...hypothesis.map((t) => t.end)) + collar;
  const cells = Math.ceil(end / step) + 1;
  const scoredCell = new Uint8Array(cells).fill(1);
  for (const t of reference) {
    for (const b of [t.start, t.end])
      scoredCell.fill(0, Math.max(0, Math.round((b - collar) / step)), Math.min(cells, Math.round((b + collar) / step)));
  }
  const ref = [...activity(reference, step, cells)];
  const hyp = [...activity(hypothesis, step, cells)];
  // Co-activity (scored seconds) of every reference/hypothesis pair, for the mapping.
  const together = ref.map(([, r]) =>
    hyp.map(([, h]) => {
      let n = 0;
      for (let i = 0; i < cells; i++) if (scoredCell[i] && r[i] && h[i]) n++;
      return n;
    }),
  );
  const assignment = bestAssignment(together);
  const mapping = new Map<string, string>();
  assignment.forEach((h, r) => {
    if (h >= 0) mapping.set(ref[r]![0], hyp[h]![0]);
  });
  let scored = 0;
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  for (let i = 0; i < cells; i++) {
    if (!scoredCell[i]) continue;
    let nRef = 0;
    let nHyp = 0;
    let correct = 0;
    ref.forEach(([, r], ri) => {
      if (!r[i]) return;
      nRef++;
      const h = assignment[ri]!;
      if (h >= 0 && hyp[h]![1][i]) correct++;
    });
    for (const [, h] of hyp) nHyp += h[i]!;
    scored += nRef;
    missed += Math.max(0, nRef - nHyp);
    falseAlarm += Math.max(0, nHyp - nRef);
    confusion += Math.min(nRef, nHyp) - correct;
  }
  const s = (n: number) => n * step;
  return {
    der: scored ? (missed + falseAlarm + confusion) / scored : 0,
    scored: s(scored),
    missed: s(missed),
    falseAlarm: s(falseAlarm),
    confusion: s(confusion),
    mapping,
  };
}

/**
 * The one-to-one assignment of rows to columns (−1: unassigned) maximising the summed weights, by
 * dynamic programming over subsets of columns — exact, and cheap for the handful of speakers of a file.
 */
export function bestAssignment(weights: number[][]): number[] {
  const rows = weights.length;
  const cols = weights[0]?.length ?? 0;
  if (cols > 16) throw new Error(`bestAssignment supports at most 16 hypothesis speakers, got ${cols}`);
  const memo = new Map<number, { value: number; pick: number }>();
  const solve = (r: number, used: number): number => {
    if (r === rows) return 0;
    const key = r * (1 << cols) + used;
    const hit = memo.get(key);
    if (hit) return hit.value;
    let best = { value: solve(r + 1, used), pick: -1 };
    for (let c = 0; c < cols; c++) {
      if (used & (1 << c)) continue;
      const v = weights[r]![c]! + solve(r + 1, used | (1 << c));
      if (v > best.value) best = { value: v, pick: c };
    }
    memo.set(key, best);
    return best.value;
  };
  solve(0, 0);
  const out: number[] = [];
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const pick = memo.get(r * (1 << cols) + used)?.pick ?? -1;
    out.push(pick);
    if (pick >= 0) used |= 1 << pick;
  }
  return out;
}
