// `npm run bench`: speed and memory of the server analyses on this machine, as a table with ratios
// measured in the same run. Clips are made from the shared talking-head conversation (looped to 60 s,
// at 720p and 1080p, and to 10 min at 720p for the memory check) and cached in the temp folder.
// Floor: ffmpeg decoding the same file alone. Goals (2 cores): scene detection ≤ 1.3× the floor;
// face tracking at 10 fps ≥ 5× real time on 1080p; peak RSS flat (± 50 MB) from 1 to 10 minutes;
// on the 1-minute two-face 720p clip: VAD ≥ 50×, active speaker ≥ 3×, diarization ≥ 20× real time
// (transcription is reported, with no goal: the offline engine is what it is).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE = path.resolve(ROOT, '../shared/media/conversation/two-people-still-listener.mp4');
const CACHE = path.join(os.tmpdir(), 'reframe-bench');
fs.mkdirSync(CACHE, { recursive: true });

function clip(name: string, make: (out: string) => string[]): string {
  const out = path.join(CACHE, name);
  if (!fs.existsSync(out)) {
    console.error(`making ${name} …`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...make(`${out}.tmp.mp4`)]);
    fs.renameSync(`${out}.tmp.mp4`, out);
  }
  return out;
}

const encode = (scale: string) => (out: string) => [
  '-stream_loop',
  '-1',
  '-i',
  SOURCE,
  '-t',
  '60',
  '-vf',
  scale,
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '23',
  '-c:a',
  'aac',
  out,
];
const clips = {
  '720p 1 min': clip('720p-60s.mp4', encode('scale=1280:720')),
  '1080p 1 min': clip('1080p-60s.mp4', encode('scale=1920:1080')),
  '720p 10 min': clip('720p-600s.mp4', (out) => ['-stream_loop', '9', '-i', path.join(CACHE, '720p-60s.mp4'), '-c', 'copy', out]),
};

function probe(file: string) {
  const json = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,nb_frames,avg_frame_rate:format=duration',
      '-of',
      'json',
      file,
    ]).toString(),
  );
  const s = json.streams[0];
  const [n, d] = s.avg_frame_rate.split('/').map(Number);
  return { width: s.width, height: s.height, fps: n / d, duration: Number(json.format.duration), frames: Number(s.nb_frames) };
}

function timeDecode(file: string): number {
  const started = performance.now();
  execFileSync('ffmpeg', ['-v', 'error', '-threads', '2', '-i', file, '-map', '0:v:0', '-f', 'null', '-']);
  return (performance.now() - started) / 1000;
}

function measure(what: string, file: string, v: ReturnType<typeof probe>) {
  const r = spawnSync(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['scripts/bench-analysis.ts', what, file, ...[v.width, v.height, v.fps, v.duration, v.frames].map(String)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`${what} on ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; maxRssMb: number; summary: string };
}

const rows: string[][] = [];
const rss: Record<string, number> = {};
for (const [name, file] of Object.entries(clips)) {
  const v = probe(file);
  const floor = timeDecode(file);
  rows.push([name, 'decode only (ffmpeg)', floor.toFixed(1), (v.duration / floor).toFixed(1), '1.00', '—', '']);
  for (const what of ['scenes', 'faces'] as const) {
    const m = measure(what, file, v);
    rss[`${name} ${what}`] = m.maxRssMb;
    rows.push([
      name,
      what === 'scenes' ? 'scene_detection' : 'face_tracking (10 fps)',
      m.seconds.toFixed(1),
      (v.duration / m.seconds).toFixed(1),
      (m.seconds / floor).toFixed(2),
      m.maxRssMb.toFixed(0),
      m.summary,
    ]);
  }
}

const speechClip = clips['720p 1 min'];
const speechFacts = probe(speechClip);
const speechNames: Record<string, string> = {
  vad: 'VAD (Silero)',
  speaker: 'active_speaker (mesh + fusion, 25 fps)',
  transcription: 'transcription (PocketSphinx)',
  diarization: 'diarization',
};
const speed: Record<string, number> = {};
for (const what of Object.keys(speechNames)) {
  const m = measure(what, speechClip, speechFacts);
  speed[what] = speechFacts.duration / m.seconds;
  rows.push(['720p 1 min', speechNames[what]!, m.seconds.toFixed(1), speed[what]!.toFixed(1), '—', m.maxRssMb.toFixed(0), m.summary]);
}

{
  const speechDir = path.resolve(ROOT, '../shared/media/speech');
  const m = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/bench-analysis.ts', 'wer', speechDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (m.status !== 0) throw new Error(`WER measurement failed: ${m.stderr}`);
  const r = JSON.parse(m.stdout.trim().split('\n').at(-1)!) as { seconds: number; maxRssMb: number; summary: string };
  rows.push(['librivox ×5', 'transcription accuracy', r.seconds.toFixed(1), '—', '—', r.maxRssMb.toFixed(0), r.summary]);
}

const header = ['clip', 'step', 'seconds', '× real time', '× decode floor', 'peak RSS MB', 'result'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\nServer analysis benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

const sceneRatio = Number(rows.find((r) => r[0] === '1080p 1 min' && r[1] === 'scene_detection')![4]);
const sceneRatio720 = Number(rows.find((r) => r[0] === '720p 1 min' && r[1] === 'scene_detection')![4]);
const faceSpeed = Number(rows.find((r) => r[0] === '1080p 1 min' && r[1]!.startsWith('face'))![3]);
const rssGrowth = Math.max(...(['scenes', 'faces'] as const).map((w) => rss[`720p 10 min ${w}`]! - rss[`720p 1 min ${w}`]!));
const goals: [string, string, string, boolean][] = [
  [
    'scene detection vs decode floor',
    `${sceneRatio720.toFixed(2)}× (720p), ${sceneRatio.toFixed(2)}× (1080p)`,
    '≤ 1.30×',
    Math.max(sceneRatio, sceneRatio720) <= 1.3,
  ],
  ['face tracking speed, 1080p', `${faceSpeed.toFixed(1)}× real time`, '≥ 5×', faceSpeed >= 5],
  ['peak RSS growth, 1 → 10 min', `${rssGrowth.toFixed(0)} MB`, '≤ 50 MB', Math.abs(rssGrowth) <= 50],
  ['VAD speed', `${speed.vad!.toFixed(1)}× real time`, '≥ 50×', speed.vad! >= 50],
  ['active speaker speed, two faces', `${speed.speaker!.toFixed(1)}× real time`, '≥ 3×', speed.speaker! >= 3],
  ['diarization speed', `${speed.diarization!.toFixed(1)}× real time`, '≥ 20×', speed.diarization! >= 20],
];
console.log('\nGoals');
const goalWidths = [0, 1, 2].map((i) => Math.max(...goals.map((g) => String(g[i]).length)));
for (const [name, measured, target, met] of goals) {
  console.log(
    `${name.padEnd(goalWidths[0]!)}  ${measured.padEnd(goalWidths[1]!)}  goal ${target.padEnd(goalWidths[2]!)}  ${met ? 'met' : 'NOT met'}`,
  );
}
