// Unit tests for the face tracking result builder. Fed tracks from a real FaceTracker run on synthetic
// detections; returns nothing (vitest assertions).
import { describe, expect, it } from 'vitest';
import { FaceTracker } from './face-tracker';
import { buildFaceTrackingResult, hasSimultaneousFaces, type FaceTrackingResult } from './face-tracking-result';

describe('buildFaceTrackingResult', () => {
  it('wraps the tracks with the video facts and their count, in a stable key order', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 10; i++) {
      tracker.push({ frameNumber: i * 5, timestamp: i / 5, detections: [{ box: [100, 100, 80, 80], score: 0.9 }] });
    }
    const tracks = tracker.finish();
    const result: FaceTrackingResult = buildFaceTrackingResult({
      model: 'face_tracking_yolov8',
      video_fps: 25,
      total_frames: 50,
      sample_fps: 5,
      tracks,
    });
    expect(Object.keys(result)).toEqual(['model', 'video_fps', 'total_frames', 'sample_fps', 'track_count', 'tracks']);
    expect(result).toMatchObject({ model: 'face_tracking_yolov8', video_fps: 25, total_frames: 50, sample_fps: 5, track_count: 1 });
    expect(result.tracks).toBe(tracks);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('counts zero tracks for a video without faces', () => {
    const result = buildFaceTrackingResult({ model: 'face_tracking_yolov8', video_fps: 30, total_frames: 0, sample_fps: 5, tracks: [] });
    expect(result.track_count).toBe(0);
    expect(result.tracks).toEqual([]);
  });
});

describe('hasSimultaneousFaces', () => {
  const span = (first_seen: number, last_seen: number) => ({ first_seen, last_seen });
  it('is false for no face, one face, or faces one after another', () => {
    expect(hasSimultaneousFaces([])).toBe(false);
    expect(hasSimultaneousFaces([span(0, 10)])).toBe(false);
    expect(hasSimultaneousFaces([span(5, 9), span(0, 5), span(9, 12)])).toBe(false);
  });
  it('is true when two faces share any time, in whatever order they are listed', () => {
    expect(hasSimultaneousFaces([span(0, 5), span(4.9, 8)])).toBe(true);
    expect(hasSimultaneousFaces([span(6, 7), span(0, 10)])).toBe(true);
  });
});
