// Ties audio speakers to faces: diarization segments and an active-speaker result (per face track,
// scored timestamps flagged `speaking`) in. Counts the faces that speak (a strong prior for the
// number of speakers), links each audio speaker to the face that speaks most in its segments, and
// relabels segments in which one linked face clearly speaks throughout. Returns linked segments.
import { bestAssignment } from './der';
import type { SpeakerSegment } from './diarization';

export interface ActiveSpeakerResult {
  tracks: { face_id: number; scores: { timestamp: number; score: number; speaking: boolean }[] }[];
}

export interface LinkOptions {
  /** Seconds of speaking a face needs to count as a speaker. Default 1. */
  minFaceSpeech?: number;
  /** Share of a speaker's speech the face must speak in to be linked to it. Default 0.3. */
  minLinkShare?: number;
  /** A segment at least this long, in which one face speaks this share of the time… Defaults 0.5 s, 0.7. */
  minClearDuration?: number;
  clearShare?: number;
  /** …while every other face speaks at most this share, gets that face's speaker. Default 0.2. */
  otherShare?: number;
}

export interface LinkedSegment extends SpeakerSegment {
  face_id?: number;
}

type Interval = [number, number];

/** Each track's speaking time as merged intervals; a score stands for half the gap to its neighbours. */
export function speakingIntervals(result: ActiveSpeakerResult): Map<number, Interval[]> {
  const out = new Map<number, Interval[]>();
  for (const track of result.tracks) {
    const scores = [...track.scores].sort((a, b) => a.timestamp - b.timestamp);
    const gaps = scores
      .slice(1)
      .map((s, i) => s.timestamp - scores[i]!.timestamp)
      .sort((a, b) => a - b);
    const half = (gaps[Math.floor(gaps.length / 2)] ?? 0.1) / 2;
    const intervals: Interval[] = [];
    for (const s of scores) {
      if (!s.speaking) continue;
      const last = intervals.at(-1);
      if (last && s.timestamp - half <= last[1] + 1e-9) last[1] = s.timestamp + half;
      else intervals.push([Math.max(0, s.timestamp - half), s.timestamp + half]);
    }
    out.set(track.face_id, [...(out.get(track.face_id) ?? []), ...intervals]);
  }
  return out;
}

const overlap = (intervals: readonly Interval[], start: number, end: number) =>
  intervals.reduce((s, [a, b]) => s + Math.max(0, Math.min(b, end) - Math.max(a, start)), 0);

/** The number of face tracks that speak for at least `minFaceSpeech` seconds. */
export function countSpeakingFaces(result: ActiveSpeakerResult, minFaceSpeech = 1): number {
  return [...speakingIntervals(result).values()].filter((iv) => overlap(iv, 0, Infinity) >= minFaceSpeech).length;
}

export function linkSpeakers(segments: readonly SpeakerSegment[], result: ActiveSpeakerResult, o: LinkOptions = {}): LinkedSegment[] {
  const { minLinkShare = 0.3, minClearDuration = 0.5, clearShare = 0.7, otherShare = 0.2 } = o;
  const faces = [...speakingIntervals(result)];
  const speakers = [...new Set(segments.map((s) => s.speaker))];
  const link = (segs: readonly SpeakerSegment[]) => {
    const spoken = speakers.map((sp) => segs.filter((s) => s.speaker === sp).reduce((t, s) => t + s.end - s.start, 0));
    const shared = speakers.map((sp) =>
      faces.map(([, iv]) => segs.filter((s) => s.speaker === sp).reduce((t, s) => t + overlap(iv, s.start, s.end), 0)),
    );
    const faceOf = new Map<string, number>();
    bestAssignment(shared).forEach((f, i) => {
      if (f >= 0 && shared[i]![f]! >= minLinkShare * spoken[i]! && shared[i]![f]! > 0) faceOf.set(speakers[i]!, faces[f]![0]);
    });
    return faceOf;
  };
  const faceOf = link(segments);
  const speakerOf = new Map([...faceOf].map(([s, f]) => [f, s]));
  // Clustering mistakes the video contradicts: the segment goes to the speaker of the face seen talking.
  const corrected = segments.map((s) => {
    const d = s.end - s.start;
    if (d < minClearDuration || !faces.length) return { ...s };
    const shares = faces.map(([id, iv]) => ({ id, share: overlap(iv, s.start, s.end) / d })).sort((a, b) => b.share - a.share);
    const [top, second] = shares;
    const target = top && speakerOf.get(top.id);
    if (target && top.share >= clearShare && (second?.share ?? 0) <= otherShare) return { ...s, speaker: target };
    return { ...s };
  });
  const merged: SpeakerSegment[] = [];
  for (const s of corrected) {
    const last = merged.at(-1);
    if (last && last.speaker === s.speaker && s.start - last.end < 1e-6) last.end = s.end;
    else merged.push(s);
  }
  const finalFaces = link(merged);
  const names = new Map<string, string>();
  return merged.map((s) => {
    if (!names.has(s.speaker)) names.set(s.speaker, `S${names.size + 1}`);
    const face = finalFaces.get(s.speaker);
    return { start: s.start, end: s.end, speaker: names.get(s.speaker)!, ...(face !== undefined ? { face_id: face } : {}) };
  });
}
