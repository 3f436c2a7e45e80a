// The preview's analysis, composed exactly as the server composes its steps, but streaming: every frame
// feeds the shared SceneDetector; face frames reach the FaceTracker once the scene detector can no
// longer put a cut before them (the server tracks faces after scene detection, ending tracks at cuts);
// mesh frames reach the TrackMeshers once the tracker knows every detection around them (the server
// meshes the final tracks). Fed frames, audio and model runners; returns the scenes, tracks, speakers
// and the camera planner's crop path, also for the part analysed so far.
import { activeSpeaker, rmsEnvelope, type ActiveSpeakerResult } from '../analysis/active-speaker';
import { FACE_DEFAULTS, SCENE_DEFAULTS, SPEAKER_DEFAULTS } from '../analysis/analysis-settings';
import { planCamera } from '../analysis/camera-planner';
import { FACE_MESH_SIZE, fillFaceMeshTensor, fillFaceMeshTensorYuv420, type MeshCrop } from '../analysis/face-mesh-crop';
import { FaceTracker, type FaceTrackDetection, type FaceTrackerDetection } from '../analysis/face-tracker';
import { buildFaceTrackingResult, hasSimultaneousFaces, type FaceTrackingResult } from '../analysis/face-tracking-result';
import { SceneDetector, scenesFromCuts, type SceneCut } from '../analysis/scene-detector';
import { VAD_HOP, VAD_SAMPLE_RATE } from '../analysis/silero-vad';
import { TrackMesher, type MeshRun } from '../analysis/track-mesher';
import type { AnalysisFrame, FinalResult, MeshImage, PlanSettings, PreviewResult, Progress, RgbaImage, SourceFacts } from './protocol';

export interface AnalyzerModels {
  /** Face detection on an RGB24 frame (which it may keep), detections in source pixels. Called as
   *  frames arrive, before earlier calls have answered, so that another worker may run it meanwhile. */
  detectFaces(rgb: Uint8Array, width: number, height: number): Promise<FaceTrackerDetection[]>;
  mesh: MeshRun;
  /** Silero VAD probabilities of 16 kHz mono audio. */
  vad(samples: Float32Array): Promise<Float32Array>;
}

/** Seconds after a frame by which the scene detector has released any cut at or before it
 *  (2 × dissolveSpan + minSceneLen, ~2.6 s, says SceneDetector.push), with a margin. */
const SCENE_LAG = 2.8;
/** Seconds of face tracking past a mesh frame before it is meshed: the tracker bridges gaps up to 1 s,
 *  and the server interpolates boxes across them, so the detections after the frame must be known. */
const MESH_LAG = 1.25;

type FaceFrame = { frame: number; timestamp: number; detections: Promise<FaceTrackerDetection[]> };
type PendingMesh = { frame: number; timestamp: number; image: MeshImage };

export class PreviewAnalyzer {
  private readonly scenes: SceneDetector;
  private readonly cuts: SceneCut[] = [];
  private readonly tracker = new FaceTracker();
  private readonly faceQueue: FaceFrame[] = [];
  private readonly meshQueue: PendingMesh[] = [];
  /** One mesher per track the tracker may keep, by the track's detections array (see FaceTracker.snapshot). */
  private readonly meshers = new Map<readonly FaceTrackDetection[], TrackMesher>();
  private readonly tensor = new Float32Array(FACE_MESH_SIZE * FACE_MESH_SIZE * 3);
  private finalTracks: FaceTrackingResult['tracks'] | null = null;
  private audio: { envelope: Float32Array; vad: Float32Array } | null = null;
  private audioPending: Promise<void> | null = null;
  private firstTimestamp = 0;
  private frames = 0;
  private batches = 0;
  private scanned = 0;
  private facesUntil = 0;
  private meshedUntil = 0;
  private ended = false;
  private lastCutApplied = -1;
  /** Source pixels → mesh-frame pixels, from the first mesh frame (the page sends one size per run). */
  private meshScale: { sx: number; sy: number } | null = null;

  constructor(
    private readonly source: SourceFacts,
    private readonly models: AnalyzerModels,
  ) {
    this.scenes = new SceneDetector({ adaptiveThreshold: SCENE_DEFAULTS.threshold, minSceneLen: SCENE_DEFAULTS.min_scene_len });
  }

  /** The decoded audio (16 kHz mono): its envelope and VAD, as the server computes them. Returns at
   *  once; the voice activity is worked out while frames keep coming, and `end` waits for it. */
  async pushAudio(samples: Float32Array): Promise<void> {
    const envelope = rmsEnvelope(samples, VAD_SAMPLE_RATE, SPEAKER_DEFAULTS.envelope_hop);
    this.audioPending = this.models.vad(samples).then((vad) => {
      this.audio = { envelope, vad };
    });
    // A failure surfaces at `end`; until then it must not count as unhandled.
    this.audioPending.catch(() => undefined);
  }

  async pushFrames(frames: readonly AnalysisFrame[]): Promise<void> {
    for (const f of frames) {
      if (this.frames === 0) this.firstTimestamp = f.timestamp;
      this.frames++;
      this.cuts.push(...this.scenes.push({ index: f.frame, timestamp: f.timestamp, ...rgb(f.scene) }));
      this.scanned = f.timestamp;
      if (f.face) {
        // Asked now, awaited in `drain`: the detector works while this worker meshes earlier frames.
        const detections = this.models.detectFaces(toRgb(f.face), f.face.width, f.face.height);
        detections.catch(() => undefined);
        this.faceQueue.push({ frame: f.frame, timestamp: f.timestamp, detections });
      }
      if (f.mesh) this.meshQueue.push({ frame: f.frame, timestamp: f.timestamp, image: f.mesh });
    }
    this.batches++;
    await this.drain(this.scanned - SCENE_LAG);
  }

  /** No more frames: the scene detector's held-back cuts, the last faces, the final tracks, the last meshes. */
  async end(): Promise<void> {
    this.cuts.push(...this.scenes.flush());
    this.ended = true;
    await this.drain(Infinity);
    await this.audioPending;
    this.finalTracks = this.tracker.finish();
    await this.meshUpTo(Infinity);
  }

  get finished(): boolean {
    return this.finalTracks !== null;
  }

  progress(): Progress {
    return { batches: this.batches, scanned: this.scanned, faces: this.facesUntil, meshed: this.meshedUntil };
  }

  /** The crop path and tracks of the part analysed so far (null while too little is). */
  partial(plan: PlanSettings): PreviewResult | null {
    const until = Math.min(this.meshedUntil, this.source.duration);
    if (until < 0.5) return null;
    const faces = this.facesResult(this.tracker.snapshot());
    const speakers = this.speakers(faces);
    const scenes = this.sceneList(until);
    return { analysedUntil: until, faces, path: this.plan(faces, speakers, scenes, plan, until) };
  }

  result(plan: PlanSettings): FinalResult {
    if (!this.finalTracks) throw new Error('the analysis has not ended');
    const faces = this.facesResult(this.finalTracks);
    const speakers = this.speakers(faces);
    const scenes = this.sceneList(this.source.duration);
    return {
      analysedUntil: this.source.duration,
      faces,
      scenes,
      speakers,
      path: this.plan(faces, speakers, scenes, plan, this.source.duration),
    };
  }

  /** Tracks faces on queued face frames up to `until`, then meshes what the tracks now cover. */
  private async drain(until: number): Promise<void> {
    while (this.faceQueue.length && this.faceQueue[0]!.timestamp <= until) {
      const f = this.faceQueue.shift()!;
      // The server ends every track at the first frame of each scene: cuts at or before this frame.
      for (const cut of this.cuts.filter((c) => c.frame <= f.frame && c.frame > this.lastCutApplied)) {
        this.lastCutApplied = cut.frame;
        this.tracker.cut();
      }
      const faces = (await f.detections).filter((d) => Math.min(d.box[2], d.box[3]) >= FACE_DEFAULTS.min_face_size);
      this.tracker.push({ frameNumber: f.frame, timestamp: f.timestamp, detections: faces });
      this.facesUntil = f.timestamp;
    }
    if (!this.faceQueue.length && this.ended) this.facesUntil = this.source.duration;
    if (!this.ended) await this.meshUpTo(this.facesUntil - MESH_LAG);
  }

  private async meshUpTo(until: number): Promise<void> {
    const tracks = this.finalTracks ? this.finalTracks.map((t) => t.detections) : this.tracker.candidates();
    while (this.meshQueue.length && this.meshQueue[0]!.timestamp <= until) {
      const f = this.meshQueue.shift()!;
      const image = f.image;
      this.meshScale ??= { sx: image.width / this.source.width, sy: image.height / this.source.height };
      const fill =
        image.format === 'I420'
          ? (crop: MeshCrop, out: Float32Array) =>
              fillFaceMeshTensorYuv420(image.data, image.width, image.height, crop, FACE_MESH_SIZE, out)
          : fillRgb(toRgb(image), image.width, image.height);
      for (const detections of tracks) {
        let mesher = this.meshers.get(detections);
        if (!mesher) {
          mesher = new TrackMesher(detections, { ...this.meshScale, tolerance: 0.5 / FACE_DEFAULTS.sample_fps });
          this.meshers.set(detections, mesher);
        }
        await mesher.push(f, fill, this.models.mesh, this.tensor);
      }
      this.meshedUntil = f.timestamp;
    }
    if (until === Infinity) this.meshedUntil = this.source.duration;
  }

  private facesResult(tracks: FaceTrackingResult['tracks']): FaceTrackingResult {
    return buildFaceTrackingResult({
      model: 'face_tracking_yolov8',
      video_fps: this.source.fps,
      total_frames: this.frames,
      sample_fps: FACE_DEFAULTS.sample_fps,
      tracks,
    });
  }

  /** Who speaks, as the server's active_speaker step, which runs only when two faces share the screen. */
  private speakers(faces: FaceTrackingResult): ActiveSpeakerResult | null {
    if (!this.audio || !hasSimultaneousFaces(faces.tracks)) return null;
    const tracks = faces.tracks
      .map((t) => ({ face_id: t.face_id, samples: this.meshers.get(t.detections)?.samples ?? [] }))
      .filter((t) => t.samples.length);
    return activeSpeaker({
      video_fps: this.source.fps,
      total_frames: this.frames,
      tracks,
      envelope: this.audio.envelope,
      envelopeHop: SPEAKER_DEFAULTS.envelope_hop,
      vad: this.audio.vad,
      vadHop: VAD_HOP,
    });
  }

  private sceneList(duration: number) {
    return scenesFromCuts(this.cuts, {
      totalFrames: this.frames,
      duration,
      fps: this.source.fps,
      firstFrameTimestamp: this.firstTimestamp,
    });
  }

  /** The reframe step's plan with the dashboard's defaults (single layout, 1920 high, no upscaling). */
  private plan(
    faces: FaceTrackingResult,
    speakers: ActiveSpeakerResult | null,
    scenes: { start: number; end: number }[],
    settings: PlanSettings,
    until: number,
  ) {
    return planCamera(
      {
        source: { width: this.source.width, height: this.source.height, duration: this.source.duration },
        faces,
        scenes,
        speakers: speakers ?? undefined,
      },
      { aspectRatio: settings.aspectRatio, layout: 'single', outputHeight: 1920, allowUpscale: false, start: 0, end: until },
    ).path;
  }
}

/** Packed RGB24 from RGBA, as the shared tensor fillers read it. */
export function toRgb(image: { width: number; height: number; data: Uint8ClampedArray | Uint8Array }): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  const src = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i * 3] = src[j]!;
    out[i * 3 + 1] = src[j + 1]!;
    out[i * 3 + 2] = src[j + 2]!;
  }
  return out;
}

function rgb(image: RgbaImage) {
  return { width: image.width, height: image.height, data: toRgb(image) };
}

function fillRgb(data: Uint8Array, width: number, height: number) {
  return (crop: MeshCrop, out: Float32Array) => fillFaceMeshTensor(data, width, height, crop, FACE_MESH_SIZE, out);
}
