// Unit tests for the preview's streaming composition: scene cuts reach the face tracker before the
// frames after them (tracks end at a cut, as on the server), meshing waits for the tracks around a
// frame, partial paths cover the part analysed so far, and the final result covers the whole video.
// Fed synthetic frames (flat colours, a hard cut at 4 s) and stand-in models; returns nothing.
import { describe, expect, it } from 'vitest';
import type { FaceTrackerDetection } from '../analysis/face-tracker';
import { PreviewAnalyzer, type AnalyzerModels } from './preview-analyzer';
import type { AnalysisFrame } from './protocol';

const FPS = 25;
const SECONDS = 8;
const source = { width: 1280, height: 720, duration: SECONDS, fps: FPS };

function image(width: number, height: number, grey: number) {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(grey) };
}

/** Two faces, left and right, throughout; the picture changes at 4 s. */
function frames(): AnalysisFrame[] {
  return Array.from({ length: SECONDS * FPS }, (_, i) => {
    const t = i / FPS;
    const grey = t < 4 ? 40 : 200;
    return {
      frame: i,
      timestamp: t,
      scene: image(96, 54, grey),
      ...(i % 5 === 0 || i % 5 === 3 ? { face: image(192, 108, grey) } : {}),
      mesh: { format: 'I420' as const, width: 64, height: 36, data: new Uint8Array(64 * 36 * 1.5).fill(grey) },
    };
  });
}

function models(): AnalyzerModels & { meshRuns: number } {
  const faces: FaceTrackerDetection[] = [
    { box: [200, 200, 160, 160], score: 0.95 },
    { box: [900, 200, 160, 160], score: 0.95 },
  ];
  const mesh = new Float32Array(468 * 3).fill(96);
  const m = {
    meshRuns: 0,
    detectFaces: async () => faces.map((f) => ({ ...f, box: [...f.box] as FaceTrackerDetection['box'] })),
    mesh: async () => {
      m.meshRuns++;
      return { mesh, presenceLogit: 4 };
    },
    vad: async (samples: Float32Array) => new Float32Array(Math.ceil(samples.length / 512)).fill(0.9),
  };
  return m;
}

describe('PreviewAnalyzer', () => {
  it('ends tracks at the scene cut, meshes behind the tracker, and plans the analysed part', async () => {
    const m = models();
    const analyzer = new PreviewAnalyzer(source, m);
    await analyzer.pushAudio(new Float32Array(SECONDS * 16_000));
    const all = frames();
    await analyzer.pushFrames(all.slice(0, 5 * FPS));
    const early = analyzer.progress();
    // Faces wait for the scene detector's look-ahead; meshes wait for the tracker's.
    expect(early.scanned).toBeCloseTo(4.96, 6);
    expect(early.faces).toBeLessThanOrEqual(early.scanned - 2.8 + 1e-9);
    expect(early.meshed).toBeLessThanOrEqual(early.faces - 1.25 + 1e-9);
    expect(m.meshRuns).toBeGreaterThan(0);
    const partial = analyzer.partial({ aspectRatio: '9:16' });
    expect(partial!.path.end).toBeCloseTo(partial!.analysedUntil, 6);
    expect(partial!.faces.tracks.map((t) => t.face_id)).toEqual([1, 2]);

    await analyzer.pushFrames(all.slice(5 * FPS));
    await analyzer.end();
    expect(analyzer.finished).toBe(true);
    const result = analyzer.result({ aspectRatio: '9:16' });
    expect(result.scenes.map((s) => s.start)).toEqual([0, 4]);
    // Two faces before the cut, two new ones after it.
    expect(result.faces.tracks.map((t) => [t.face_id, t.first_seen < 4, t.last_seen < 4])).toEqual([
      [1, true, true],
      [2, true, true],
      [3, false, false],
      [4, false, false],
    ]);
    expect(result.speakers?.tracks.map((t) => t.face_id)).toEqual([1, 2, 3, 4]);
    expect(result.path.end).toBe(SECONDS);
    expect(result.path.output).toEqual({ width: 406, height: 720 });
    expect(analyzer.result({ aspectRatio: '1:1' }).path.output).toEqual({ width: 720, height: 720 });
  });
});
