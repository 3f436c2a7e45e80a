// Unit tests for the face tracking result builder. Fed tracks from a real FaceTracker run on synthetic
// detections; returns nothing (vitest assertions).
import { describe, expect, it } from 'vitest';
import { FaceTracker } from './face-tracker';
import { buildFaceTrackingResult, type FaceTrackingResult } from './face-tracking-result';

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
