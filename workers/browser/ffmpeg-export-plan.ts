// Pure half of the in-browser export: checks the range a user picked (inside the analysed path, at
// most MAX_EXPORT_SECONDS), narrows the crop path to it, offers output sizes of its aspect, and reads
// ffmpeg's `-progress` lines. Fed by the preview's crop path; returns the path the renderer gets.
import type { ReframePath } from '../analysis/reframe-path';

/** The longest clip the browser renders; full-length renders go to the server. */
export const MAX_EXPORT_SECONDS = 60;

export interface ExportRange {
  /** Seconds of the source. */
  start: number;
  end: number;
  /** Output pixels (even); default: the path's own output size. */
  output?: { width: number; height: number };
}

/** The crop path cut to `range`: scenes outside it dropped, the first one kept from the range's start. */
export function clipPath(path: ReframePath, range: ExportRange): ReframePath {
  const { start, end } = range;
  if (!(Number.isFinite(start) && Number.isFinite(end) && end > start)) {
    throw new RangeError(`the clip must end after it starts (${start}–${end} s)`);
  }
  if (end - start > MAX_EXPORT_SECONDS + 1e-6) {
    throw new RangeError(`a preview export is at most ${MAX_EXPORT_SECONDS} s (asked for ${round(end - start)} s)`);
  }
  if (start < path.start - 1e-6 || end > path.end + 1e-6) {
    throw new RangeError(`the clip ${round(start)}–${round(end)} s is outside the analysed ${round(path.start)}–${round(path.end)} s`);
  }
  const output = range.output ?? path.output;
  const even = (v: number) => Number.isInteger(v) && v >= 16 && v <= 4320 && v % 2 === 0;
  if (!even(output.width) || !even(output.height)) {
    throw new RangeError(`the output size must be even numbers of pixels from 16 to 4320 (got ${output.width}×${output.height})`);
  }
  const scenes = path.scenes.filter((s) => s.end > start && s.start < end);
  if (scenes.length === 0) throw new RangeError(`the path has no scene between ${round(start)} and ${round(end)} s`);
  return { ...path, start, end, output: { width: output.width, height: output.height }, scenes };
}

/**
 * The fraction done that one `-progress` line reports over a clip of `span` seconds, or null when the
 * line carries none (`out_time_us` is N/A until the first frame is written; `progress=end` closes).
 */
export function progressFraction(line: string, span: number): number | null {
  if (line.trim() === 'progress=end') return 1;
  const us = /^out_time_us=(\d+)$/.exec(line.trim());
  return us ? Math.min(1, Math.max(0, Number(us[1]) / 1e6 / span)) : null;
}

/** Output heights offered besides the path's own, when smaller than it. */
const SMALLER_HEIGHTS = [1920, 1280, 960, 640];

/** The sizes an export may pick: the path's output first, then smaller ones of its aspect (even widths). */
export function exportSizes(output: { width: number; height: number }): { width: number; height: number }[] {
  const { width, height } = output;
  const smaller = SMALLER_HEIGHTS.filter((h) => h < height).map((h) => ({
    width: Math.max(16, Math.round((h * width) / height / 2) * 2),
    height: h,
  }));
  return [{ width, height }, ...smaller];
}

const round = (v: number) => Math.round(v * 100) / 100;
