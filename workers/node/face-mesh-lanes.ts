// Mouth-open ratios of face tracks over decoded frames, on worker threads ("lanes"): each lane owns
// some tracks and runs, frame after frame, crop → face mesh (onnxruntime-node) → mouth ratio for
// them, so that several faces are meshed at once while the main thread keeps decoding. A lane never
// waits on the main thread for its next crop (it follows its own meshes); frames reach every lane
// through shared memory, a few frames ahead. The model runs with its PRelus rewritten
// (prelu-rewrite.ts). Fed the tracks and the YUV 4:2:0 frames; returns MouthSamples.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { MouthSample } from '../analysis/active-speaker';
import { FACE_MESH_SIZE, fillFaceMeshTensorYuv420, type TimedBox } from '../analysis/face-mesh-crop';
import { preluAsBatchNorm } from '../analysis/prelu-rewrite';
import { TrackMesher, type MeshRun, type TrackMesherOptions } from '../analysis/track-mesher';
import { modelInfo } from './onnx-models';
import type { YuvFrame } from './yuv-frame-source';

export type LaneTrack = { face_id: number; detections: readonly TimedBox[] };

export type FaceMeshLaneOptions = TrackMesherOptions;

/** Frames held in shared memory: the lanes' read-ahead. */
const FRAME_SLOTS = 6;
const LANE_ROLE = 'face-mesh-lane';

type ToLane =
  { type: 'frame'; slot: number; data: Uint8Array; width: number; height: number; timestamp: number; frame: number } | { type: 'end' };
type FromLane = { type: 'done'; slot: number } | { type: 'result'; samples: MouthSample[][] } | { type: 'error'; message: string };

/** Main-thread side: starts the lanes, shares each frame with them, gathers their samples. */
export class FaceMeshLanes {
  private readonly lanes: { worker: Worker; tracks: number[]; result: Promise<MouthSample[][]> }[] = [];
  private readonly slots: { buffer: SharedArrayBuffer; pending: number }[] = [];
  private slotFreed: (() => void) | null = null;
  private failure: Error | null = null;

  /** Tracks are dealt to at most `lanes` threads (one per core by default), longest first. */
  constructor(
    private readonly tracks: readonly LaneTrack[],
    o: FaceMeshLaneOptions,
    lanes = os.availableParallelism(),
  ) {
    const count = Math.min(Math.max(1, lanes), tracks.length);
    const owned: number[][] = Array.from({ length: count }, () => []);
    const load = new Array<number>(count).fill(0);
    const order = tracks.map((_, i) => i).sort((a, b) => tracks[b]!.detections.length - tracks[a]!.detections.length);
    for (const i of order) {
      const lane = load.indexOf(Math.min(...load));
      owned[lane]!.push(i);
      load[lane]! += tracks[i]!.detections.length || 1;
    }
    for (const mine of owned) {
      const worker = new Worker(threadBootstrap(), {
        eval: true,
        workerData: { role: LANE_ROLE, tracks: mine.map((i) => tracks[i]), options: o },
      });
      const result = new Promise<MouthSample[][]>((resolve, reject) => {
        worker.on('message', (m: FromLane) => {
          if (m.type === 'done') this.release(m.slot);
          else if (m.type === 'result') resolve(m.samples);
          else this.fail(new Error(`face mesh lane: ${m.message}`), reject);
        });
        worker.on('error', (e) => this.fail(e, reject));
        worker.on('exit', (code) => this.fail(new Error(`face mesh lane exited with ${code}`), reject));
      });
      result.catch(() => undefined);
      this.lanes.push({ worker, tracks: mine, result });
    }
  }

  /** Shares one decoded frame with every lane; waits while all frame slots are still in use. */
  async push(frame: YuvFrame): Promise<void> {
    const bytes = frame.data.length;
    let slot = -1;
    for (;;) {
      if (this.failure) throw this.failure;
      slot = this.slots.findIndex((s) => s.pending === 0 && s.buffer.byteLength === bytes);
      if (slot < 0 && this.slots.length < FRAME_SLOTS) {
        slot = this.slots.push({ buffer: new SharedArrayBuffer(bytes), pending: 0 }) - 1;
      }
      if (slot >= 0) break;
      await new Promise<void>((r) => (this.slotFreed = r));
    }
    const s = this.slots[slot]!;
    const data = new Uint8Array(s.buffer);
    data.set(frame.data);
    s.pending = this.lanes.length;
    const message: ToLane = {
      type: 'frame',
      slot,
      data,
      width: frame.width,
      height: frame.height,
      timestamp: frame.timestamp,
      frame: frame.frame,
    };
    for (const lane of this.lanes) lane.worker.postMessage(message);
  }

  /** Every track's samples, in the order the tracks were given, once the lanes have meshed every frame. */
  async finish(): Promise<MouthSample[][]> {
    for (const lane of this.lanes) lane.worker.postMessage({ type: 'end' } satisfies ToLane);
    const samples: MouthSample[][] = this.tracks.map(() => []);
    for (const lane of this.lanes) {
      const mine = await lane.result;
      lane.tracks.forEach((track, i) => (samples[track] = mine[i]!));
    }
    await this.close();
    return samples;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('face mesh lanes closed');
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
  }

  private release(slot: number) {
    const s = this.slots[slot]!;
    if (--s.pending === 0) {
      this.slotFreed?.();
      this.slotFreed = null;
    }
  }

  private fail(error: Error, reject: (e: Error) => void) {
    this.failure ??= error;
    reject(error);
    this.slotFreed?.();
    this.slotFreed = null;
  }
}

/**
 * The thread's entry: plain JavaScript that registers tsx's loader and loads this module, whose
 * top level then runs the lane (the thread needs TypeScript, and Node 20 does not pass an ESM
 * loader on to worker threads).
 */
function threadBootstrap(): string {
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(import.meta.url))});`;
}

async function runLane(port: NonNullable<typeof parentPort>, data: { tracks: LaneTrack[]; options: FaceMeshLaneOptions }) {
  const post = (m: FromLane) => port.postMessage(m);
  try {
    const file = path.resolve(import.meta.dirname, '../../public/models', modelInfo('face_landmark').file);
    // One intra-op thread per lane: the lanes are the parallelism.
    const session = await ort.InferenceSession.create(preluAsBatchNorm(await readFile(file)), {
      intraOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const tensor = new Float32Array(FACE_MESH_SIZE * FACE_MESH_SIZE * 3);
    const meshers = data.tracks.map((t) => new TrackMesher(t.detections, data.options));
    const [meshName, presenceName] = session.outputNames;
    const run: MeshRun = async (input) => {
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, FACE_MESH_SIZE, FACE_MESH_SIZE, 3]) });
      return { mesh: out[meshName!]!.data as Float32Array, presenceLogit: (out[presenceName!]!.data as Float32Array)[0]! };
    };
    // Frames are meshed one after another in arrival order; messages queue up meanwhile.
    let chain = Promise.resolve();
    port.on('message', (m: ToLane) => {
      chain = chain.then(async () => {
        if (m.type === 'end') return post({ type: 'result', samples: meshers.map((t) => t.samples) });
        const fill = (crop: Parameters<typeof fillFaceMeshTensorYuv420>[3], out: Float32Array) =>
          fillFaceMeshTensorYuv420(m.data, m.width, m.height, crop, FACE_MESH_SIZE, out);
        for (const mesher of meshers) await mesher.push(m, fill, run, tensor);
        post({ type: 'done', slot: m.slot });
      });
      chain.catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
    });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === LANE_ROLE) {
  void runLane(parentPort, workerData as { tracks: LaneTrack[]; options: FaceMeshLaneOptions });
}
