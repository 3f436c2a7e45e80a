// Unpacks one file from a MediaPipe solution's asset bundle (`*_packed_assets.data`, emscripten's
// file_packager format): fed the bundle's loader script, which lists every file's byte range, and the
// bundle bytes; returns the named file's bytes (e.g. face_landmark.tflite from @mediapipe/face_mesh).
import path from 'node:path';

const ENTRY = /"filename":\s*"([^"]+)",\s*"start":\s*(\d+),\s*"end":\s*(\d+)/g;

export function extractPackedAsset(loaderSource, bundle, fileName) {
  const entries = [...loaderSource.matchAll(ENTRY)].map(([, file, start, end]) => ({ file, start: Number(start), end: Number(end) }));
  const matches = entries.filter((e) => path.posix.basename(e.file) === fileName);
  if (matches.length !== 1) {
    throw new Error(
      `${fileName}: expected once in the packed assets, found ${matches.length} (bundle lists ${entries.map((e) => e.file).join(', ')})`,
    );
  }
  const [{ start, end }] = matches;
  if (end > bundle.length) throw new Error(`${fileName}: bytes ${start}–${end} lie past the bundle's end (${bundle.length} bytes)`);
  return bundle.subarray(start, end);
}
