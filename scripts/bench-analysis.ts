// One benchmark measurement in its own process (so peak RSS is this analysis's alone): runs one
// analysis on a file and prints `{ seconds, maxRssMb, summary }` as JSON. Work an analysis depends
// on (face tracking before active speaker) runs first and is not timed.
// Usage: tsx scripts/bench-analysis.ts scenes|faces|vad|speaker|transcription|diarization FILE WIDTH HEIGHT FPS DURATION FRAMES
//        tsx scripts/bench-analysis.ts wer DIR   (PocketSphinx WER over DIR's librivox-*.wav and their .txt)
import fs from 'node:fs';
import path from 'node:path';
import { wer } from '../workers/analysis/wer';
import { analyzeDiarization } from '../workers/node/diarization-analysis';
import { analyzeFaces } from '../workers/node/face-analysis';
import { analyzeScenes } from '../workers/node/scene-analysis';
import { analyzeActiveSpeaker } from '../workers/node/speaker-analysis';
import { pocketsphinxEngine } from '../workers/node/transcription-engines';
import { vadProbabilities } from '../workers/node/vad';

const [what, file, width, height, fps, duration, frames] = process.argv.slice(2) as [string, string, ...string[]];
const video = { width: +width!, height: +height!, fps: +fps!, duration: +duration!, frames: +frames!, timeOffset: 0 };
const faceParams = { sample_fps: 10, min_face_size: 0, detector: 'full_range' as const };

const measurements: Record<string, () => Promise<() => Promise<string>>> = {
  scenes: async () => async () => `${(await analyzeScenes(file, video, { threshold: 3, min_scene_len: 0.6 })).scenes.length} scenes`,
  faces: async () => async () => `${(await analyzeFaces(file, video, faceParams)).track_count} tracks`,
  vad: async () => async () => `${(await vadProbabilities(file)).length} frames`,
  speaker: async () => {
    const faces = await analyzeFaces(file, video, faceParams);
    return async () => `${(await analyzeActiveSpeaker(file, video, faces, { sample_fps: 25 })).track_count} tracks scored`;
  },
  transcription: async () => async () => `${(await pocketsphinxEngine.transcribe(file, {})).words.length} words`,
  diarization: async () => async () => `${(await analyzeDiarization(file)).speakers.length} speakers`,
  wer: async () => async () => {
    let errors = 0;
    let words = 0;
    for (const wav of fs.readdirSync(file).filter((f) => /^librivox-.*\.wav$/.test(f))) {
      const heard = (await pocketsphinxEngine.transcribe(path.join(file, wav), {})).words.map((w) => w.word).join(' ');
      const r = wer(fs.readFileSync(path.join(file, wav.replace(/\.wav$/, '.txt')), 'utf8'), heard);
      errors += r.errors;
      words += r.words;
    }
    return `WER ${((100 * errors) / words).toFixed(1)} % (${errors}/${words} words)`;
  },
};

const prepare = measurements[what];
if (!prepare) throw new Error(`unknown measurement ${what}`);
const run = await prepare();
const started = performance.now();
const summary = await run();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, summary }));
