#!/usr/bin/env node
// Builds public/models/ at install time from installed npm packages: MediaPipe's face models converted
// from .tflite to ONNX, Silero VAD copied as shipped. Fed the packages and the committed manifest (the
// source of truth); writes the .onnx files, or exits non-zero naming any file or package that differs.
//
//   node scripts/build-models.mjs [--out DIR] [--manifest PATH] [--write-manifest]
//
// --write-manifest records a deliberate upgrade: it builds from whatever is installed and rewrites the
// manifest's versions, sizes, sha256 sums and I/O signatures (keeping its hand-written notes).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import { extractPackedAsset } from './models/mediapipe-assets.mjs';
import { convertTfliteToOnnx } from './models/tflite-to-onnx.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * How each model is made. `sourceFile` is relative to the package folder; `packedAsset` names a file
 * inside a MediaPipe asset bundle; `convert` says whether the source is TFLite (converted) or ONNX (copied).
 */
const RECIPES = [
  {
    name: 'face_detection_short_range',
    package: '@mediapipe/face_detection',
    sourceFile: 'face_detection_short_range.tflite',
    convert: true,
    licence: 'Apache-2.0',
  },
  {
    name: 'face_detection_full_range',
    package: '@mediapipe/face_detection',
    sourceFile: 'face_detection_full_range.tflite',
    convert: true,
    licence: 'Apache-2.0',
  },
  {
    name: 'face_landmark',
    package: '@mediapipe/face_mesh',
    sourceFile: 'face_mesh_solution_packed_assets.data',
    packedAsset: 'face_landmark.tflite',
    convert: true,
    licence: 'Apache-2.0',
  },
  { name: 'silero_vad_v5', package: '@ricky0123/vad-web', sourceFile: 'dist/silero_vad_v5.onnx', convert: false, licence: 'MIT' },
  { name: 'silero_vad_legacy', package: '@ricky0123/vad-web', sourceFile: 'dist/silero_vad_legacy.onnx', convert: false, licence: 'MIT' },
];

const say = (message) => console.log(`[models] ${message}`);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function installedPackage(name) {
  const packageJson = require.resolve(`${name}/package.json`);
  return { dir: path.dirname(packageJson), version: JSON.parse(readFileSync(packageJson, 'utf8')).version };
}

function produce(recipe, packageDir) {
  const source = readFileSync(path.join(packageDir, recipe.sourceFile));
  if (!recipe.convert) return source;
  if (!recipe.packedAsset) return convertTfliteToOnnx(source, recipe.sourceFile);
  const loader = readFileSync(path.join(packageDir, recipe.sourceFile.replace(/\.data$/, '_loader.js')), 'utf8');
  // The graph is named after the .tflite file, as when converting a file on disk.
  return convertTfliteToOnnx(extractPackedAsset(loader, source, recipe.packedAsset), recipe.packedAsset);
}

/** Temp file + rename, so a crash never leaves a half-written model under its real name. */
function writeAtomically(file, bytes) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

function fileHasHash(file, { bytes, sha256: expected }) {
  return existsSync(file) && statSync(file).size === bytes && sha256(readFileSync(file)) === expected;
}

const { onnx } = onnxProto;
const ONNX_TYPES = { [onnx.TensorProto.DataType.FLOAT]: 'float32', [onnx.TensorProto.DataType.INT64]: 'int64' };

/** Graph inputs (weights excluded) and outputs with shapes; dynamic axes keep their name, or '?' if unnamed. */
function signature(onnxBytes) {
  const { graph } = onnx.ModelProto.decode(onnxBytes);
  const weights = new Set(graph.initializer.map((t) => t.name));
  const describe = ({ name, type: { tensorType } }) => ({
    name,
    shape: (tensorType.shape?.dim ?? []).map((d) => (d.value === 'dimValue' ? Number(d.dimValue) : d.dimParam || '?')),
    type: ONNX_TYPES[tensorType.elemType] ?? `onnx type ${tensorType.elemType}`,
  });
  return { inputs: graph.input.filter((v) => !weights.has(v.name)).map(describe), outputs: graph.output.map(describe) };
}

/** Two-space JSON, with arrays of plain values (shapes) kept on one line. */
function formatJson(value) {
  const json = JSON.stringify(value, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, items) => `[${items.split(/,\s+/).join(', ')}]`);
  return `${json}\n`;
}

function writeManifest(manifestPath, built) {
  const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { models: [] };
  const notes = new Map(previous.models.map((m) => [m.name, m.notes]));
  const models = built.map(({ recipe, pkg, bytes }) => ({
    name: recipe.name,
    file: `${recipe.name}.onnx`,
    source: `${recipe.package}@${pkg.version}`,
    sourceFile: recipe.packedAsset ? `${recipe.sourceFile}#${recipe.packedAsset}` : recipe.sourceFile,
    licence: recipe.licence,
    ...signature(bytes),
    bytes: bytes.length,
    sha256: sha256(bytes),
    notes: notes.get(recipe.name) ?? '',
  }));
  writeAtomically(manifestPath, formatJson({ about: previous.about ?? '', models }));
}

function fail(manifestPath, problems) {
  console.error(`[models] FAILED: the models do not match ${manifestPath}`);
  for (const p of problems) console.error(`[models]   ${p}`);
  console.error('[models] Nothing was written. After checking a deliberate upgrade, record it with --write-manifest.');
  return 1;
}

function main() {
  const { values: args } = parseArgs({
    options: { out: { type: 'string' }, manifest: { type: 'string' }, 'write-manifest': { type: 'boolean', default: false } },
  });
  const outDir = path.resolve(args.out ?? path.join(ROOT, 'public/models'));
  const manifestPath = path.resolve(args.manifest ?? path.join(ROOT, 'public/models/manifest.json'));
  const packages = new Map(RECIPES.map((r) => [r.package, installedPackage(r.package)]));
  mkdirSync(outDir, { recursive: true });

  if (args['write-manifest']) {
    const built = RECIPES.map((recipe) => {
      const pkg = packages.get(recipe.package);
      return { recipe, pkg, bytes: produce(recipe, pkg.dir) };
    });
    for (const { recipe, bytes } of built) writeAtomically(path.join(outDir, `${recipe.name}.onnx`), bytes);
    writeManifest(manifestPath, built);
    say(`built ${built.length} models into ${outDir} and rewrote ${manifestPath}`);
    return 0;
  }

  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entries = new Map(manifest.models.map((m) => [m.name, m]));
  const problems = [];
  const names = (list) => list.map((x) => x.name).join(', ');
  if (names(RECIPES) !== names(manifest.models)) {
    problems.push(`the manifest lists [${names(manifest.models)}] but this script builds [${names(RECIPES)}]`);
  }
  for (const recipe of RECIPES) {
    const entry = entries.get(recipe.name);
    const installed = `${recipe.package}@${packages.get(recipe.package).version}`;
    if (entry && entry.source !== installed)
      problems.push(`${entry.file}: the manifest was built from ${entry.source}, but ${installed} is installed`);
  }
  if (problems.length > 0) return fail(manifestPath, problems);
  if (manifest.models.every((m) => fileHasHash(path.join(outDir, m.file), m))) {
    say(`${manifest.models.length} models up to date in ${outDir}`);
    return 0;
  }

  const built = RECIPES.map((recipe) => {
    const entry = entries.get(recipe.name);
    const pkg = packages.get(recipe.package);
    const bytes = produce(recipe, pkg.dir);
    const actual = sha256(bytes);
    if (actual !== entry.sha256) {
      problems.push(
        `${entry.file}: sha256 ${actual} (${bytes.length} bytes) differs from the manifest's ${entry.sha256} (${entry.bytes} bytes); ` +
          `built from ${recipe.package}@${pkg.version} ${entry.sourceFile}`,
      );
    }
    return { entry, bytes };
  });
  if (problems.length > 0) return fail(manifestPath, problems);

  // Files already right are left alone: their unchanged mtimes keep `next build` from re-running.
  const written = built.filter(({ entry }) => !fileHasHash(path.join(outDir, entry.file), entry));
  for (const { entry, bytes } of written) writeAtomically(path.join(outDir, entry.file), bytes);
  say(`built ${written.map((b) => b.entry.file).join(', ')} into ${outDir} (sha256 as in the manifest)`);
  return 0;
}

process.exitCode = main();
