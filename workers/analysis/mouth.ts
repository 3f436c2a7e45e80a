// The mouth-open ratio of a 468-point face mesh: the inner-lip gap over the mouth's width, so it does
// not depend on the face's size in the frame (about 0.015 closed to 0.43 wide open on real speech).
// Fed the mesh's flat (x, y, z)… landmarks; returns one number.

export const UPPER_INNER_LIP = 13;
export const LOWER_INNER_LIP = 14;
export const MOUTH_CORNER_RIGHT = 78;
export const MOUTH_CORNER_LEFT = 308;

/** |p13 − p14| / |p78 − p308| in the image plane; 0 for a degenerate mouth of zero width. */
export function mouthOpenRatio(landmarks: ArrayLike<number>): number {
  if (landmarks.length < 468 * 3) throw new RangeError(`mouthOpenRatio: ${landmarks.length} values, needs 468 × 3`);
  const width = distance(landmarks, MOUTH_CORNER_RIGHT, MOUTH_CORNER_LEFT);
  return width > 0 ? distance(landmarks, UPPER_INNER_LIP, LOWER_INNER_LIP) / width : 0;
}

function distance(p: ArrayLike<number>, a: number, b: number): number {
  return Math.hypot(p[3 * a]! - p[3 * b]!, p[3 * a + 1]! - p[3 * b + 1]!);
}
