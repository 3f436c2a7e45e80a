// Unit tests for the face tracker and its assignment solver: smooth motion, neighbours that must not
// swap, crossing paths, cuts, false positives, gaps, fast motion and the output shape. Fed synthetic
// detections sampled at 10 fps on a 1280×720 frame (deterministic jitter); returns nothing.
import { describe, expect, it } from 'vitest';
import { FaceTracker, assignMaxAffinity, type FaceTrack, type FaceTrackerDetection, type FaceTrackerOptions } from './face-tracker';

const FPS = 10;

function face(cx: number, cy: number, size: number, score = 0.9): FaceTrackerDetection {
  return { box: [cx - size / 2, cy - size / 2, size, size], score };
}

/** A few pixels of deterministic detector noise. */
function jitter(i: number, k: number, amplitude = 3): number {
  return Math.sin(i * 12.9898 + k * 78.233) * amplitude;
}

/** Samples `seconds` at FPS; `at(t, i)` gives that sample's detections; cuts happen before the listed samples. */
function track(
  seconds: number,
  at: (t: number, i: number) => FaceTrackerDetection[],
  options: FaceTrackerOptions = {},
  cutBefore: number[] = [],
): FaceTrack[] {
  const tracker = new FaceTracker(options);
  for (let i = 0; i <= Math.round(seconds * FPS); i++) {
    if (cutBefore.includes(i)) tracker.cut();
    const t = i / FPS;
    tracker.push({ frameNumber: i * 3, timestamp: t, detections: at(t, i) });
  }
  return tracker.finish();
}

const centreX = (d: { bbox: number[] }): number => d.bbox[0]! + d.bbox[2]! / 2;

describe('FaceTracker', () => {
  it('follows one face moving smoothly across the frame as one track', () => {
    const tracks = track(5, (t, i) => [face(150 + 196 * t + jitter(i, 0), 360 + jitter(i, 1), 120)]);
    expect(tracks).toHaveLength(1);
    const [only] = tracks;
    expect(only!.face_id).toBe(1);
    expect(only!.detections).toHaveLength(51);
    expect(only!.first_seen).toBe(0);
    expect(only!.last_seen).toBe(5);
    expect(only!.detections[10]!.frame_number).toBe(30);
  });

  it('keeps two faces side by side apart for 10 s through missed detections and a low-score frame', () => {
    let leftCount = 0;
    let rightCount = 0;
    const tracks = track(10, (_t, i) => {
      const score = i === 50 ? 0.45 : 0.85;
      const detections: FaceTrackerDetection[] = [];
      // The detector lists the right face first: ids must not depend on detection order.
      if (i % 11 !== 5) {
        detections.push(face(880 + jitter(i, 2, 4), 360 + jitter(i, 3, 4), 150, score));
        rightCount++;
      }
      if (i % 7 !== 3) {
        detections.push(face(400 + jitter(i, 0, 4), 360 + jitter(i, 1, 4), 150, score));
        leftCount++;
      }
      return detections;
    });
    expect(tracks).toHaveLength(2);
    const [left, right] = tracks;
    expect(left!.face_id).toBe(1);
    expect(left!.detections).toHaveLength(leftCount);
    expect(right!.detections).toHaveLength(rightCount);
    expect(left!.detections.every((d) => centreX(d) < 640)).toBe(true);
    expect(right!.detections.every((d) => centreX(d) > 640)).toBe(true);
    expect(left!.detections.some((d) => d.score === 0.45)).toBe(true);
    expect(right!.detections.some((d) => d.score === 0.45)).toBe(true);
  });

  // Two look-alike faces at one height pass each other at 400 px/s relative speed; between the samples
  // either side of the crossing, each face lands nearer the other's last position, so only the
  // velocity tells them apart.
  const walkRight = (t: number): number => 200 + 200 * t;
  const walkLeft = (t: number): number => 1010 - 200 * t;

  function expectWalks(tracks: FaceTrack[]): void {
    expect(tracks).toHaveLength(2);
    const [right, left] = tracks.map((t) => t.detections.map(centreX));
    expect(right![0]).toBeCloseTo(200, -1);
    expect(left![0]).toBeCloseTo(1010, -1);
    expect(right!.every((x, k) => k === 0 || x > right![k - 1]!)).toBe(true);
    expect(left!.every((x, k) => k === 0 || x < left![k - 1]!)).toBe(true);
  }

  it('lets ids follow two faces whose paths cross', () => {
    const tracks = track(4, (t, i) => [face(walkRight(t) + jitter(i, 0, 2), 360, 120), face(walkLeft(t) + jitter(i, 1, 2), 360, 120)]);
    expectWalks(tracks);
    expect(tracks.map((t) => t.detections.length)).toEqual([41, 41]);
  });

  it('carries a face hidden by the other through the crossing on its velocity', () => {
    let hidden = 0;
    const tracks = track(4, (t, i) => {
      const detections = [face(walkRight(t) + jitter(i, 0, 2), 360, 120)];
      if (Math.abs(walkRight(t) - walkLeft(t)) >= 100) detections.push(face(walkLeft(t) + jitter(i, 1, 2), 360, 120));
      else hidden++;
      return detections;
    });
    expect(hidden).toBe(5);
    expectWalks(tracks);
    expect(tracks.map((t) => t.detections.length)).toEqual([41, 41 - hidden]);
  });

  it('ends every track at a cut and starts new ones after it', () => {
    const tracks = track(6, (_t, i) => [face(640 + jitter(i, 0), 360, 200)], {}, [30]);
    expect(tracks.map((t) => [t.face_id, t.first_seen, t.last_seen])).toEqual([
      [1, 0, 2.9],
      [2, 3, 6],
    ]);
  });

  it('drops false positives and numbers the remaining faces densely', () => {
    const tracks = track(3, (t, i) => {
      const detections = [face(640 + jitter(i, 0), 360, 200)];
      if (i === 0) detections.push(face(150, 150, 60, 0.95)); // one frame, left of the real face
      if (i === 10 || i === 11) detections.push(face(1100, 500, 60, 0.95)); // confirmed, but 2 detections
      if (i >= 20 && i <= 23) detections.push(face(1100, 150, 60, 0.95)); // 4 detections over 0.3 s
      return detections;
    });
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.face_id).toBe(1);
    expect(tracks[0]!.detections).toHaveLength(31);
  });

  it('numbers faces by first appearance, not by position', () => {
    const tracks = track(3, (t, i) => [...(t >= 1 ? [face(300, 360, 150)] : []), face(900 + jitter(i, 0), 360, 150)]);
    expect(tracks.map((t) => [t.face_id, t.first_seen, Math.round(centreX(t.detections[0]!))])).toEqual([
      [1, 0, 900],
      [2, 1, 300],
    ]);
  });

  it('never starts a track from low-confidence detections alone', () => {
    expect(track(2, () => [face(640, 360, 150, 0.5)])).toHaveLength(0);
  });

  it('bridges a 0.5 s gap without inventing samples, and splits at a 2 s gap', () => {
    const bridged = track(4, (t, i) => (t > 2 && t < 2.5 ? [] : [face(640 + jitter(i, 0), 360, 150)]));
    expect(bridged).toHaveLength(1);
    const times = bridged[0]!.detections.map((d) => d.timestamp);
    expect(times).toHaveLength(41 - 4);
    expect(times.filter((t) => t > 2 && t < 2.5)).toEqual([]);

    const split = track(6, (t, i) => (t > 2 && t < 4 ? [] : [face(640 + jitter(i, 0), 360, 150)]));
    expect(split.map((t) => [t.first_seen, t.last_seen])).toEqual([
      [0, 2],
      [4, 6],
    ]);
  });

  it('matches fast motion by centre distance when boxes no longer overlap', () => {
    // 100 px faces jumping 120 px per sample: IoU with the previous box is always 0.
    const fast = (_t: number, i: number): FaceTrackerDetection[] => [face(100 + 120 * i, 360 + jitter(i, 0), 100)];
    const tracks = track(1.4, fast);
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.detections).toHaveLength(15);
    expect(track(1.4, fast, { maxCenterDistance: 0 })).toHaveLength(0);
  });

  it('returns detections in the result shape, rounded to 0.1 px and 3 decimals', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 6; i++) {
      const withLandmarks = i % 2 === 0;
      tracker.push({
        frameNumber: i * 5,
        timestamp: i * 0.2,
        detections: [
          {
            box: [100.04, 50.06, 80.123, 90.987],
            score: 0.87654,
            ...(withLandmarks ? { landmarks: [[110.06, 60.04] as [number, number]] } : {}),
          },
        ],
      });
    }
    const [only] = tracker.finish();
    expect(only!.detections[0]).toEqual({
      timestamp: 0,
      frame_number: 0,
      bbox: [100, 50.1, 80.1, 91],
      score: 0.877,
      landmarks: [[110.1, 60]],
    });
    expect(only!.detections[1]!.landmarks).toBeNull();
    expect(Object.keys(only!)).toEqual(['face_id', 'first_seen', 'last_seen', 'detections']);
    expect(tracker.finish()).toEqual([]);
  });

  it('rejects frames out of time order', () => {
    const tracker = new FaceTracker();
    tracker.push({ frameNumber: 10, timestamp: 1, detections: [] });
    expect(() => tracker.push({ frameNumber: 5, timestamp: 0.5, detections: [] })).toThrow(RangeError);
  });
});

describe('FaceTracker.snapshot', () => {
  const two = (t: number, i: number) => [
    face(300 + jitter(i, 0), 360, 120),
    ...(t >= 1 ? [face(900 + jitter(i, 1), 360 + jitter(i, 2), 110)] : []),
  ];

  it('shows mid-stream what finish() would, changes nothing, and keeps each track’s detections array', () => {
    const watched = new FaceTracker();
    const plain = new FaceTracker();
    const seen = new Set<readonly unknown[]>();
    let candidatesBeforeConfirmation = 0;
    for (let i = 0; i <= 30; i++) {
      const frame = { frameNumber: i, timestamp: i / FPS, detections: two(i / FPS, i) };
      watched.push(frame);
      plain.push(frame);
      if (i === 10) candidatesBeforeConfirmation = watched.candidates().length;
      for (const track of watched.snapshot()) seen.add(track.detections);
    }
    // At 1 s the second face has one detection: a candidate already, not yet in a snapshot.
    expect(candidatesBeforeConfirmation).toBe(2);
    const early = watched.snapshot();
    expect(early.map((t) => t.face_id)).toEqual([1, 2]);
    const final = watched.finish();
    expect(final).toEqual(plain.finish());
    expect(final).toEqual(early);
    expect(final.every((t) => seen.has(t.detections))).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('leaves out what finish() would drop: unconfirmed and too-short tracks', () => {
    const tracker = new FaceTracker();
    tracker.push({ frameNumber: 0, timestamp: 0, detections: [face(300, 360, 120)] });
    expect(tracker.candidates()).toHaveLength(1);
    expect(tracker.snapshot()).toEqual([]);
    tracker.push({ frameNumber: 1, timestamp: 0.1, detections: [face(302, 360, 120)] });
    expect(tracker.snapshot()).toEqual([]);
    for (let i = 2; i <= 6; i++) tracker.push({ frameNumber: i, timestamp: i / FPS, detections: [face(300, 360, 120)] });
    expect(tracker.snapshot()).toHaveLength(1);
  });
});

describe('assignMaxAffinity', () => {
  it('finds the best total where greedy would not', () => {
    // Greedy takes 0.9 first and is left with 0.1; the optimum pairs crosswise for 1.65.
    expect(
      assignMaxAffinity([
        [0.9, 0.8],
        [0.85, 0.1],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('handles more rows or more columns, and never returns forbidden pairs', () => {
    expect(assignMaxAffinity([[0.2], [0.7], [0.4]])).toEqual([[1, 0]]);
    expect(assignMaxAffinity([[0.2, 0.7, 0.4]])).toEqual([[0, 1]]);
    expect(
      assignMaxAffinity([
        [0.5, 0],
        [0, 0],
      ]),
    ).toEqual([[0, 0]]);
    expect(assignMaxAffinity([])).toEqual([]);
    expect(assignMaxAffinity([[], []])).toEqual([]);
  });
});
