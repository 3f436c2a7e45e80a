#!/usr/bin/env node
// Copies the in-browser preview's runtime files from installed npm packages into public/vendor/, so the app
// serves them itself (no CDN): onnxruntime-web's wasm builds to public/vendor/ort/, ffmpeg.wasm's
// single-thread core and its ES-module class + worker to public/vendor/ffmpeg/. Skips files already
// identical; prints a summary.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The folder of an installed package (found through its package.json, which every package exports or has). */
function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return path.join(ROOT, 'node_modules', name);
  }
}

const ortDist = path.join(packageDir('onnxruntime-web'), 'dist');
const ffmpegCore = path.join(packageDir('@ffmpeg/core'), 'dist', 'esm');
const ffmpegClass = path.join(packageDir('@ffmpeg/ffmpeg'), 'dist', 'esm');

/**
 * What goes where. The ort family covers plain SIMD(+threads), JSEP (WebGPU/WebNN), JSPI and asyncify
 * builds; onnxruntime-web picks one at run time. @ffmpeg/ffmpeg's ES modules are served as they are and
 * imported at run time (workers/browser/ffmpeg-runtime.ts): its `new Worker(new URL(x, import.meta.url))`
 * cannot go through the bundler, and its modules import each other by relative URL.
 */
const GROUPS = [
  {
    to: 'public/vendor/ort',
    from: ortDist,
    files: readdirSync(ortDist).filter((f) => /^ort-wasm-simd-threaded.*\.(wasm|mjs)$/.test(f)),
  },
  { to: 'public/vendor/ffmpeg', from: ffmpegCore, files: ['ffmpeg-core.js', 'ffmpeg-core.wasm'] },
  { to: 'public/vendor/ffmpeg', from: ffmpegClass, files: readdirSync(ffmpegClass).filter((f) => /^[a-z]+\.js$/.test(f)) },
];

let copied = 0;
let kept = 0;
for (const group of GROUPS) {
  if (group.files.length === 0) throw new Error(`no files to copy from ${group.from}`);
  const outDir = path.join(ROOT, group.to);
  mkdirSync(outDir, { recursive: true });
  for (const file of group.files) {
    const src = path.join(group.from, file);
    const dst = path.join(outDir, file);
    if (!existsSync(src)) throw new Error(`missing ${src}: run npm ci`);
    const s = statSync(src);
    // Size and mtime identify an unchanged copy; copyFileSync does not keep mtime, so a newer dst is current.
    if (existsSync(dst)) {
      const d = statSync(dst);
      if (d.size === s.size && d.mtimeMs >= s.mtimeMs) {
        kept++;
        continue;
      }
    }
    copyFileSync(src, dst);
    copied++;
  }
}
console.log(`[browser-assets] public/vendor: ${copied} copied, ${kept} up to date`);
