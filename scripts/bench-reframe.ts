// The reframe benchmark (part of `npm run bench`): on a 60 s 1080p talking head and a 60 s two-person
// 720p conversation, the floor is a bare ffmpeg static crop + encode to 1080×1920 (same x264 settings
// as the service); then the full one-shot reframe work (scene detection, face tracking, active
// speaker, camera plan, render to 1080×1920) in its own process, as a ratio to that floor and a
// multiple of real time, with its peak RSS. Goal: full reframe ≤ 1.5× the floor.
// Usage: tsx scripts/bench-reframe.ts            (the table)
//        tsx scripts/bench-reframe.ts run FILE   (one measurement, prints JSON)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env } from '../server/env';
import { planCamera } from '../workers/analysis/camera-planner';
import { hasSimultaneousFaces } from '../workers/analysis/face-tracking-result';
import { analyzeFaces } from '../workers/node/face-analysis';
import { renderVideo } from '../workers/node/render-video';
import { analyzeScenes } from '../workers/node/scene-analysis';
import { analyzeActiveSpeaker } from '../workers/node/speaker-analysis';
import { REFRAME_SPEAKER_PARAMS } from '../server/jobs/steps';

const ROOT = path.resolve(import.meta.dirname, '..');
const MEDIA = path.resolve(ROOT, '../shared/media');
const CACHE = path.join(os.tmpdir(), 'reframe-bench');
const OUT_W = 1080;
const OUT_H = 1920;

function probe(file: string) {
  const json = JSON.parse(
    execFileSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_frames,avg_frame_rate:format=duration'],
      ...['-of', 'json', file],
    ]).toString(),
  );
  const s = json.streams[0];
  const [n, d] = s.avg_frame_rate.split('/').map(Number);
  return {
    width: s.width,
    height: s.height,
    fps: n / d,
    duration: Number(json.format.duration),
    frames: Number(s.nb_frames),
    timeOffset: 0,
  };
}

async function fullReframe(file: string) {
  const video = { ...probe(file), hasAudio: true };
  const started = performance.now();
  const phases: string[] = [];
  let lapStart = started;
  const lap = (name: string) => {
    const now = performance.now();
    phases.push(`${name} ${((now - lapStart) / 1000).toFixed(1)}`);
    lapStart = now;
  };
  const scenes = await analyzeScenes(file, video, { threshold: 3, min_scene_len: 0.6 });
  lap('scenes');
  const faces = await analyzeFaces(
    file,
    video,
    { sample_fps: 10, min_face_size: 0, detector: 'full_range' },
    {
      cutFrames: scenes.scenes.slice(1).map((s) => s.start_frame),
    },
  );
  lap('faces');
  // As a job does: who speaks is analysed only when two faces are ever on screen together, at the reframe's rate.
  const speakers = hasSimultaneousFaces(faces.tracks) ? await analyzeActiveSpeaker(file, video, faces, REFRAME_SPEAKER_PARAMS) : undefined;
  if (speakers) lap('speaker');
  const { path: cropPath } = planCamera(
    { source: { width: video.width, height: video.height, duration: video.duration }, scenes: scenes.scenes, faces, speakers },
    { aspectRatio: '9:16', outputHeight: OUT_H, allowUpscale: true },
  );
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reframe-')), 'out.mp4');
  await renderVideo({
    input: file,
    output,
    path: cropPath,
    hasAudio: true,
    fps: video.fps,
    crf: env.RENDER_CRF,
    preset: env.RENDER_PRESET,
  });
  lap('plan+render');
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(path.dirname(output), { recursive: true, force: true });
  const keyframes = cropPath.scenes.reduce((n, s) => n + s.keyframes.length, 0);
  return {
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    summary: `${faces.track_count} faces, ${keyframes} keyframes; s: ${phases.join(', ')}`,
  };
}

function floor(file: string): number {
  const v = probe(file);
  const cropW = Math.round((v.height * 9) / 16 / 2) * 2;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-')), 'out.mp4');
  const started = performance.now();
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', file],
    ...['-vf', `crop=${cropW}:${v.height}:${Math.round((v.width - cropW) / 2)}:0,scale=${OUT_W}:${OUT_H}`],
    ...['-c:v', 'libx264', '-preset', env.RENDER_PRESET, '-crf', String(env.RENDER_CRF), '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-movflags', '+faststart', out],
  ]);
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return seconds;
}

function clip(name: string, args: (out: string) => string[]): string {
  fs.mkdirSync(CACHE, { recursive: true });
  const out = path.join(CACHE, name);
  if (!fs.existsSync(out)) {
    console.error(`making ${name} …`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args(`${out}.tmp.mp4`)]);
    fs.renameSync(`${out}.tmp.mp4`, out);
  }
  return out;
}

const loop = (source: string, vf: string) => (out: string) => [
  ...['-stream_loop', '-1', '-i', source, '-t', '60', '-vf', vf],
  ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', out],
];

if (process.argv[2] === 'run') {
  console.log(JSON.stringify(await fullReframe(process.argv[3]!)));
  process.exit(0);
}

const clips = {
  // A square talking head placed in a 16:9 frame, as a webcam recording framed wide.
  '1080p talking head': clip(
    'talking-head-1080p-60s.mp4',
    loop(path.join(MEDIA, 'talking/talking-head-2.mp4'), 'scale=-2:1080,pad=1920:1080:(ow-iw)/2:0:color=0x303030,fps=25'),
  ),
  '720p conversation': clip('720p-60s.mp4', loop(path.join(MEDIA, 'conversation/two-people-still-listener.mp4'), 'scale=1280:720')),
};

const rows: string[][] = [];
const ratios: Record<string, number> = {};
for (const [name, file] of Object.entries(clips)) {
  const { duration } = probe(file);
  const base = floor(file);
  rows.push([name, `static crop + encode to ${OUT_W}×${OUT_H} (floor)`, base.toFixed(1), (duration / base).toFixed(2), '1.00', '—', '']);
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/bench-reframe.ts', 'run', file], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reframe of ${file} failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; maxRssMb: number; summary: string };
  ratios[name] = m.seconds / base;
  rows.push([
    name,
    'full reframe (analysis + plan + render)',
    m.seconds.toFixed(1),
    (duration / m.seconds).toFixed(2),
    ratios[name]!.toFixed(2),
    m.maxRssMb.toFixed(0),
    m.summary,
  ]);
}

const header = ['clip', 'work', 'seconds', '× real time', '× floor', 'peak RSS MB', 'result'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\nReframe benchmark — x264 preset ${env.RENDER_PRESET}, CRF ${env.RENDER_CRF}, ${os.cpus().length} cores`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
const worst = Math.max(...Object.values(ratios));
console.log(`\nGoal: full reframe ≤ 1.50× the floor — measured ${worst.toFixed(2)}× (worst clip): ${worst <= 1.5 ? 'met' : 'NOT met'}`);
