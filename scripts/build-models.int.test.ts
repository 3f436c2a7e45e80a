// The install-time model build on the real npm packages: deterministic bytes that match the committed
// manifest, a loud failure (and nothing written) when the manifest disagrees, and the fast path that
// leaves files already right untouched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, 'build-models.mjs');
const MANIFEST = path.resolve(import.meta.dirname, '../public/models/manifest.json');
const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as {
  models: { name: string; file: string; bytes: number; sha256: string }[];
};

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-models-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function build(...args: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('build-models', () => {
  it('builds the same bytes twice, matching the committed manifest', () => {
    const [first, second] = [path.join(temp, 'first'), path.join(temp, 'second')];
    expect(build('--out', first).status).toBe(0);
    expect(build('--out', second).status).toBe(0);
    expect(manifest.models.map((m) => m.name)).toEqual([
      'face_detection_short_range',
      'face_detection_full_range',
      'face_landmark',
      'silero_vad_v5',
      'silero_vad_legacy',
    ]);
    for (const m of manifest.models) {
      const bytes = fs.readFileSync(path.join(first, m.file));
      expect(bytes.equals(fs.readFileSync(path.join(second, m.file))), m.file).toBe(true);
      expect(bytes.length, m.file).toBe(m.bytes);
      expect(sha256(path.join(first, m.file)), m.file).toBe(m.sha256);
    }
    expect(fs.readdirSync(first).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails loudly, naming the model, when a sha256 in the manifest differs, and writes nothing', () => {
    const tampered = structuredClone(manifest);
    const landmark = tampered.models.find((m) => m.name === 'face_landmark')!;
    landmark.sha256 = landmark.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const manifestCopy = path.join(temp, 'tampered.json');
    fs.writeFileSync(manifestCopy, JSON.stringify(tampered));
    const out = path.join(temp, 'tampered');

    const run = build('--out', out, '--manifest', manifestCopy);

    expect(run.status).not.toBe(0);
    expect(run.output).toContain('face_landmark.onnx');
    expect(run.output).toContain(landmark.sha256);
    expect(run.output).toContain(manifest.models.find((m) => m.name === 'face_landmark')!.sha256);
    expect(run.output).toMatch(/@mediapipe\/face_mesh@\d/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails when the manifest names another package version', () => {
    const other = structuredClone(manifest) as { models: { source?: string }[] };
    other.models[3]!.source = '@ricky0123/vad-web@0.0.1';
    const manifestCopy = path.join(temp, 'other-version.json');
    fs.writeFileSync(manifestCopy, JSON.stringify(other));

    const run = build('--out', path.join(temp, 'other-version'), '--manifest', manifestCopy);

    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/silero_vad_v5\.onnx: the manifest was built from @ricky0123\/vad-web@0\.0\.1, but @ricky0123\/vad-web@\d/);
  });

  it('skips the work when every file matches, and rewrites only a file that does not', () => {
    const out = path.join(temp, 'fast');
    expect(build('--out', out).status).toBe(0);
    const old = new Date(2020, 0, 1);
    for (const m of manifest.models) fs.utimesSync(path.join(out, m.file), old, old);

    const again = build('--out', out);
    expect(again.status).toBe(0);
    expect(again.output).toContain('up to date');
    for (const m of manifest.models) expect(fs.statSync(path.join(out, m.file)).mtime, m.file).toEqual(old);

    const damaged = path.join(out, 'face_detection_full_range.onnx');
    fs.writeFileSync(damaged, 'not a model');
    const repair = build('--out', out);
    expect(repair.status).toBe(0);
    expect(repair.output).toContain('built face_detection_full_range.onnx into');
    expect(sha256(damaged)).toBe(manifest.models.find((m) => m.name === 'face_detection_full_range')!.sha256);
    for (const m of manifest.models.filter((x) => x.file !== 'face_detection_full_range.onnx')) {
      expect(fs.statSync(path.join(out, m.file)).mtime, m.file).toEqual(old);
    }
  });
});
