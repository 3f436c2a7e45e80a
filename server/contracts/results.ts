// The shapes of stored analysis results, as served by GET /api/v2/videos/{id}/results/{model_type}.
// Times are presentation times in seconds from the start of the file (as a player shows them);
// frame numbers count decoded video frames from 0; boxes are pixels of the source frame.
import { z } from 'zod';

export const SceneDetectionResult = z.object({
  model: z.literal('scene_detection'),
  video_fps: z.number(),
  total_frames: z.number().int(),
  scenes: z.array(
    z.object({
      index: z.number().int(),
      start: z.number().describe('seconds, inclusive'),
      end: z.number().describe('seconds, exclusive: the next scene’s start'),
      start_frame: z.number().int(),
      end_frame: z.number().int().describe('last frame inside the scene'),
    }),
  ),
});

const Point = z.tuple([z.number(), z.number()]);

export const FaceTrackingResult = z.object({
  model: z.literal('face_tracking_yolov8'),
  video_fps: z.number(),
  total_frames: z.number().int(),
  sample_fps: z.number(),
  track_count: z.number().int(),
  tracks: z.array(
    z.object({
      face_id: z.number().int(),
      first_seen: z.number(),
      last_seen: z.number(),
      detections: z.array(
        z.object({
          timestamp: z.number(),
          frame_number: z.number().int(),
          bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[x, y, width, height] in pixels of the source frame'),
          score: z.number(),
          landmarks: z
            .array(Point)
            .nullable()
            .describe('source pixels; BlazeFace: right eye, left eye, nose tip, mouth, right ear, left ear'),
        }),
      ),
    }),
  ),
});

export const ActiveSpeakerResult = z.object({
  model: z.literal('active_speaker'),
  video_fps: z.number(),
  total_frames: z.number().int(),
  track_count: z.number().int(),
  tracks: z.array(
    z.object({
      face_id: z.number().int().describe('the face_tracking_yolov8 track'),
      first_seen: z.number(),
      last_seen: z.number(),
      speaking_fraction: z.number().describe('share of the track’s scored frames in which it speaks'),
      scores: z.array(z.object({ timestamp: z.number(), frame_number: z.number().int(), score: z.number(), speaking: z.boolean() })),
    }),
  ),
});

const Word = z.object({ word: z.string(), start: z.number(), end: z.number(), confidence: z.number() });

export const TranscriptionResult = z.object({
  model: z.literal('transcription'),
  language: z.string(),
  engine: z.string().describe('pocketsphinx (offline default) or whisper.cpp when the deployment configures it'),
  segments: z.array(
    z.object({ start: z.number(), end: z.number(), text: z.string(), speaker: z.string().optional(), words: z.array(Word) }),
  ),
});

export const DiarizationResult = z.object({
  model: z.literal('diarization'),
  speakers: z.array(z.object({ speaker: z.string(), face_id: z.number().int().optional(), total_speech: z.number() })),
  segments: z.array(z.object({ start: z.number(), end: z.number(), speaker: z.string(), face_id: z.number().int().optional() })),
});
