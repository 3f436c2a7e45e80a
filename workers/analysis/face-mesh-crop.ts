// Geometry for the 468-point face mesh: where a track's face box is at any analysed frame (linear
// between the tracker's sampled detections), the square crop MediaPipe's model expects around it or
// around the previous frame's mesh, the 192×192 NHWC [0, 1] input tensor cut from an RGB24 frame, and
// the way back to frame pixels. Fed boxes, meshes and frames in one pixel space; returns crops,
// tensors and landmark points.
import { sampleBilinear, type Box } from './letterbox';

/** Side of the face-mesh model input, in pixels. */
export const FACE_MESH_SIZE = 192;
/** The crop is this many times the face box's longer side (as the model was trained). */
export const FACE_MESH_CROP_SCALE = 1.5;

/** A square region of the frame: top-left corner and side, in frame pixels. */
export type MeshCrop = { x: number; y: number; side: number };

export function faceMeshCrop(box: Box, scale = FACE_MESH_CROP_SCALE): MeshCrop {
  const side = Math.max(box[2], box[3]) * scale;
  return { x: box[0] + box[2] / 2 - side / 2, y: box[1] + box[3] / 2 - side / 2, side };
}

/** A box scaled from one pixel space to another (say, from the source to a smaller decoded frame). */
export function scaleBox(box: Box, sx: number, sy: number): Box {
  return [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy];
}

/**
 * Fills a size×size NHWC tensor in [0, 1] from the crop of an RGB24 frame with bilinear sampling
 * (half-pixel centres). Parts of the crop outside the frame are black, as MediaPipe pads a face at
 * the frame's edge. Pass `out` to reuse one buffer: this runs for every face of every analysed frame.
 */
export function fillFaceMeshTensor(
  rgb: Uint8Array,
  width: number,
  height: number,
  crop: MeshCrop,
  size = FACE_MESH_SIZE,
  out: Float32Array = new Float32Array(size * size * 3),
): Float32Array {
  if (rgb.length < width * height * 3) throw new RangeError(`fillFaceMeshTensor: ${rgb.length} bytes for a ${width}×${height} RGB24 frame`);
  if (out.length !== size * size * 3)
    throw new RangeError(`fillFaceMeshTensor: output holds ${out.length} values, needs ${size * size * 3}`);
  const step = crop.side / size;
  const k = 1 / 255;
  for (let oy = 0; oy < size; oy++) {
    const sy = crop.y + (oy + 0.5) * step - 0.5;
    const rowOutside = sy < -0.5 || sy > height - 0.5;
    const cy = Math.min(Math.max(sy, 0), height - 1);
    const y0 = Math.floor(cy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = cy - y0;
    for (let ox = 0; ox < size; ox++) {
      const o = (oy * size + ox) * 3;
      const sx = crop.x + (ox + 0.5) * step - 0.5;
      if (rowOutside || sx < -0.5 || sx > width - 0.5) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        continue;
      }
      sampleBilinear(rgb, width, Math.min(Math.max(sx, 0), width - 1), y0, y1, fy, out, o, 1, k, 0);
    }
  }
  return out;
}

/** The model's flat (x, y, z)… output in crop pixels → the same points in frame pixels (z scaled alike). */
export function meshToFrame(mesh: ArrayLike<number>, crop: MeshCrop, size = FACE_MESH_SIZE): Float32Array {
  const s = crop.side / size;
  const out = new Float32Array(mesh.length - (mesh.length % 3));
  for (let i = 0; i < out.length; i += 3) {
    out[i] = crop.x + mesh[i]! * s;
    out[i + 1] = crop.y + mesh[i + 1]! * s;
    out[i + 2] = mesh[i + 2]! * s;
  }
  return out;
}

/** The crop around a mesh (flat x, y, z… in frame pixels), as MediaPipe tracks a face between frames. */
export function meshCrop(points: ArrayLike<number>, scale = FACE_MESH_CROP_SCALE): MeshCrop {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 3) {
    x0 = Math.min(x0, points[i]!);
    x1 = Math.max(x1, points[i]!);
    y0 = Math.min(y0, points[i + 1]!);
    y1 = Math.max(y1, points[i + 1]!);
  }
  return faceMeshCrop([x0, y0, x1 - x0, y1 - y0], scale);
}

/**
 * The crop for this frame: the one around the previous frame's mesh while it stays near the track's
 * box (within `maxShift` crop sides, centre to centre), else the box's own. Following the mesh keeps
 * the face where the model expects it frame after frame; crops from the tracker's interpolated boxes
 * lag a moving head, which shows up as mouth motion (active speaker measured 81 % with box crops
 * against 90 % pooled on four built muted-listener conversations, 54 against 79 % on the worst).
 * The box check stops a mesh that drifted off the face from feeding itself.
 */
export function followCrop(fromBox: MeshCrop, fromMesh: MeshCrop | null, maxShift = 0.25): MeshCrop {
  if (!fromMesh) return fromBox;
  const dx = fromMesh.x + fromMesh.side / 2 - (fromBox.x + fromBox.side / 2);
  const dy = fromMesh.y + fromMesh.side / 2 - (fromBox.y + fromBox.side / 2);
  return Math.hypot(dx, dy) < maxShift * fromBox.side ? fromMesh : fromBox;
}

/** A detection of a face track: its time and box (the tracker's FaceTrackDetection has both). */
export type TimedBox = { timestamp: number; bbox: Box };

/**
 * The track's box at time t: linear between the two detections around t (the tracker samples at a
 * few frames per second, and a crop that jumps at each detection makes the mouth ratio jump), the
 * nearest detection within `tolerance` seconds outside them, else null. Detections in time order.
 */
export function boxAt(detections: readonly TimedBox[], t: number, tolerance: number): Box | null {
  if (!detections.length) return null;
  let lo = 0;
  let hi = detections.length - 1;
  const first = detections[lo]!;
  const last = detections[hi]!;
  if (t <= first.timestamp) return first.timestamp - t <= tolerance ? [...first.bbox] : null;
  if (t >= last.timestamp) return t - last.timestamp <= tolerance ? [...last.bbox] : null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (detections[mid]!.timestamp <= t) lo = mid;
    else hi = mid;
  }
  const a = detections[lo]!;
  const b = detections[hi]!;
  const f = (t - a.timestamp) / (b.timestamp - a.timestamp);
  return [0, 1, 2, 3].map((i) => a.bbox[i]! + (b.bbox[i]! - a.bbox[i]!) * f) as Box;
}
