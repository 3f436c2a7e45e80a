// One face track's mouth-open ratio, frame after frame: the crop around the track's box at the frame's
// time (or around its mesh in the previous frame while that stays on the face), the face mesh on it,
// and the mouth ratio of the mesh. The server (worker threads) and the browser preview (a Web Worker)
// both run it; they bring the pixels (`fill`) and the model (`run`). Returns MouthSamples.
import type { MouthSample } from './active-speaker';
import { SPEAKER_DEFAULTS } from './analysis-settings';
import { boxAt, faceMeshCrop, followCrop, meshCrop, meshToFrame, scaleBox, type MeshCrop, type TimedBox } from './face-mesh-crop';
import { mouthOpenRatio } from './mouth';

export interface TrackMesherOptions {
  /** Source pixels → decoded frame pixels. */
  sx: number;
  sy: number;
  /** Seconds a frame may lie outside a track's detections and still use the nearest one. */
  tolerance: number;
}

/** Fills the model input from the frame's pixels inside `crop` (frame pixels). */
export type MeshFill = (crop: MeshCrop, tensor: Float32Array) => void;
/** Runs the face mesh: the 468 landmarks in model-input pixels and the face-presence logit. */
export type MeshRun = (tensor: Float32Array) => Promise<{ mesh: ArrayLike<number>; presenceLogit: number }>;

export class TrackMesher {
  readonly samples: MouthSample[] = [];
  /** The crop around this track's mesh in the previous analysed frame. */
  private previous: MeshCrop | null = null;

  constructor(
    private readonly detections: readonly TimedBox[],
    private readonly o: TrackMesherOptions,
  ) {}

  async push(frame: { timestamp: number; frame: number }, fill: MeshFill, run: MeshRun, tensor: Float32Array): Promise<void> {
    const box = boxAt(this.detections, frame.timestamp, this.o.tolerance);
    if (!box) {
      this.previous = null;
      return;
    }
    const crop = followCrop(faceMeshCrop(scaleBox(box, this.o.sx, this.o.sy)), this.previous);
    fill(crop, tensor);
    const out = await run(tensor);
    const mesh = meshToFrame(out.mesh, crop);
    const found = 1 / (1 + Math.exp(-out.presenceLogit)) >= SPEAKER_DEFAULTS.min_presence;
    this.samples.push({ timestamp: frame.timestamp, frame_number: frame.frame, ratio: found ? mouthOpenRatio(mesh) : null });
    this.previous = found ? meshCrop(mesh) : null;
  }
}
