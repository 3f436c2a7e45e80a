// Unit tests for the shared analysis settings: the relations between them the analyses rely on.
// Fed the constants; returns nothing.
import { describe, expect, it } from 'vitest';
import { FACE_DEFAULTS, SCENE_DEFAULTS, SPEAKER_DEFAULTS } from './analysis-settings';

describe('analysis settings', () => {
  it('samples the mouth once per envelope value, and fast enough to follow it', () => {
    expect(SPEAKER_DEFAULTS.sample_fps * SPEAKER_DEFAULTS.envelope_hop).toBeCloseTo(1, 9);
    expect(SPEAKER_DEFAULTS.sample_fps).toBeGreaterThanOrEqual(12.5);
    expect(SPEAKER_DEFAULTS.reframe_sample_fps).toBeGreaterThanOrEqual(12.5);
  });

  it('meshes faces more often than it detects them, on larger frames than scenes need', () => {
    expect(SPEAKER_DEFAULTS.sample_fps).toBeGreaterThan(FACE_DEFAULTS.sample_fps);
    expect(SCENE_DEFAULTS.side).toBeLessThan(SPEAKER_DEFAULTS.side);
    expect(FACE_DEFAULTS.min_score).toBeGreaterThan(0);
  });
});
