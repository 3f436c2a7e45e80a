// The face_tracking_yolov8 step's result file: video timing facts plus the tracker's face tracks.
// Fed the probe's fps and frame count, the sampling rate and FaceTracker.finish()'s tracks; returns the
// JSON-ready object that the worker stores and the framing step reads back.
import type { FaceTrack } from './face-tracker';

export type FaceTrackingResult = {
  model: 'face_tracking_yolov8';
  video_fps: number;
  total_frames: number;
  /** Frames per second actually analysed; detections exist only at these samples. */
  sample_fps: number;
  track_count: number;
  /** Ordered by face_id (1, 2, 3…, by first appearance). */
  tracks: FaceTrack[];
};

export function buildFaceTrackingResult(input: Omit<FaceTrackingResult, 'track_count'>): FaceTrackingResult {
  const { model, video_fps, total_frames, sample_fps, tracks } = input;
  return { model, video_fps, total_frames, sample_fps, track_count: tracks.length, tracks };
}

/** Whether two tracks are ever on screen together (their [first_seen, last_seen] spans overlap): only
 *  then is there a choice of subject, and so a need to know who speaks. */
export function hasSimultaneousFaces(tracks: readonly { first_seen: number; last_seen: number }[]): boolean {
  const spans = [...tracks].sort((a, b) => a.first_seen - b.first_seen);
  let end = -Infinity;
  for (const s of spans) {
    if (s.first_seen < end) return true;
    end = Math.max(end, s.last_seen);
  }
  return false;
}
