// Face detection alone on a few frames of a local file, on a chosen backend: the check that the
// WebGPU face detector finds what the WASM one does (the preview's test and anyone comparing backends
// run it from the page). Decodes the file with WebCodecs, takes one face frame per second, asks a
// fresh analysis worker; returns the backend that ran and the detections of each frame.
import { BLAZEFACE_VARIANTS } from '../analysis/blazeface';
import { analysisSize } from '../analysis/frame-decoding';
import { Mp4FrameSource } from './mp4-frame-source';
import type { Backend, BackendChoice, FromWorker, RgbaImage, ToWorker } from './protocol';

export interface SampleDetections {
  backend: Backend;
  frames: { timestamp: number; detections: { box: [number, number, number, number]; score: number }[] }[];
}

export async function detectSample(file: Blob, backend: BackendChoice, count: number): Promise<SampleDetections> {
  const source = await Mp4FrameSource.open(file);
  const { width, height } = source.facts;
  const size = analysisSize(width, height, BLAZEFACE_VARIANTS.full.inputSize);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.imageSmoothingQuality = 'high';
  const images: { timestamp: number; image: RgbaImage }[] = [];
  for await (const frame of source.frames()) {
    try {
      if (frame.timestamp >= images.length) {
        context.drawImage(frame.video, 0, 0, size.width, size.height);
        images.push({ timestamp: frame.timestamp, image: { ...size, data: context.getImageData(0, 0, size.width, size.height).data } });
      }
    } finally {
      frame.video.close();
    }
    if (images.length >= count) break;
  }
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
  try {
    const result: SampleDetections = { backend: 'wasm', frames: [] };
    for (const [i, { timestamp, image }] of images.entries()) {
      const reply = await new Promise<FromWorker>((resolve) => {
        worker.onmessage = (e: MessageEvent<FromWorker>) => resolve(e.data);
        const message: ToWorker = {
          type: 'detect',
          id: i,
          image,
          source: { width, height },
          backend,
          modelBase: '/models',
          wasmBase: '/vendor/ort/',
        };
        worker.postMessage(message);
      });
      if (reply.type === 'error') throw new Error(reply.message);
      if (reply.type !== 'detections') throw new Error(`unexpected ${reply.type} from the analysis worker`);
      result.backend = reply.backend;
      result.frames.push({ timestamp, detections: reply.detections });
    }
    return result;
  } finally {
    worker.terminate();
  }
}
