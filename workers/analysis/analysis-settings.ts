// The analysis rates, sizes and defaults the server's steps use, in one place so that the in-browser
// preview runs the analyses exactly as the server does (server/jobs/steps.ts takes its parameter
// defaults from here, workers/node/ its frame sizes). Plain constants; no inputs.

/** scene_detection: every frame, longer side 96 px; a cut at 3× the neighbours' change, scenes ≥ 0.6 s. */
export const SCENE_DEFAULTS = { side: 96, threshold: 3, min_scene_len: 0.6 } as const;

/** face_tracking_yolov8: BlazeFace full range on 10 frames per second, no size floor. Detections from
 *  this score on are kept for the tracker's second association stage (see FaceTracker). */
export const FACE_DEFAULTS = { sample_fps: 10, min_face_size: 0, min_score: 0.3 } as const;

/**
 * active_speaker: the face mesh on 25 frames per second (the mouth moves too fast for less than 12.5;
 * 25 matches the envelope's 40 ms hop), frames no wider than 1280 px (faces in a 1280-wide frame keep
 * ≥ ~100 px in usual shots, and the mesh sees a 192-px crop anyway), the audio envelope every 40 ms,
 * and mesh samples below a face-presence probability of 0.5 left out (the mesh is guessing there).
 * A reframe (and the preview, which is one) analyses 12.5 frames a second: a switch needs a second of
 * speech and a shot lasts 1.5 s, and the planner frames the speaker as well as at 25 (97.8 / 92.7 % of
 * speech frames inside the crop against 98.1 / 94.0 % on the two shared conversations) for ~60 % of the time.
 */
export const SPEAKER_DEFAULTS = { sample_fps: 25, reframe_sample_fps: 12.5, side: 1280, envelope_hop: 0.04, min_presence: 0.5 } as const;
