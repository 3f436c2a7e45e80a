// One benchmark measurement in its own process (so peak RSS is this analysis's alone): runs scene
// detection or face tracking on a file and prints `{ seconds, maxRssMb, summary }` as JSON.
// Usage: tsx scripts/bench-analysis.ts scenes|faces FILE WIDTH HEIGHT FPS DURATION FRAMES
import { analyzeFaces } from '../workers/node/face-analysis';
import { analyzeScenes } from '../workers/node/scene-analysis';

const [what, file, width, height, fps, duration, frames] = process.argv.slice(2);
const video = { width: +width!, height: +height!, fps: +fps!, duration: +duration!, frames: +frames!, timeOffset: 0 };
const started = performance.now();
let summary: string;
if (what === 'scenes') {
  const r = await analyzeScenes(file!, video, { threshold: 3, min_scene_len: 0.6 });
  summary = `${r.scenes.length} scenes`;
} else {
  const r = await analyzeFaces(file!, video, { sample_fps: 10, min_face_size: 0, detector: 'full_range' });
  summary = `${r.track_count} tracks`;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, summary }));
