// The typed messages between the preview page and its analysis Web Worker (analysis.worker.ts). The
// page opens a run with `start`, streams frames (scan frames for scenes and faces, mesh frames for the
// speaker) and the decoded audio, then `end`s it; the worker answers with progress, partial results
// (the crop path of the part analysed so far) and the final result. Every message names its run.
import type { ActiveSpeakerResult } from '../analysis/active-speaker';
import type { FaceTrackingResult } from '../analysis/face-tracking-result';
import type { ReframePath } from '../analysis/reframe-path';
import type { Scene } from '../analysis/scene-detector';

export type Backend = 'webgpu' | 'wasm';
/** `auto`: WebGPU when the browser offers a real (not fallback) adapter, else WASM. */
export type BackendChoice = Backend | 'auto';

export interface SourceFacts {
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  fps: number;
}

/** Packed RGBA pixels (as ImageData holds them), rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A frame for the face mesh: planar YUV 4:2:0 straight from the decoder when it gives that at no
 *  more than the speaker analysis size, else RGBA scaled down to it. */
export type MeshImage = { format: 'I420'; width: number; height: number; data: Uint8Array } | ({ format: 'RGBA' } & RgbaImage);

/** One decoded frame: every frame feeds scene detection; those on the face-tracking grid carry a face
 *  image, those on the active-speaker grid a mesh image. */
export interface AnalysisFrame {
  /** Decoded-frame number from 0, in presentation order. */
  frame: number;
  /** Presentation seconds. */
  timestamp: number;
  scene: RgbaImage;
  face?: RgbaImage;
  mesh?: MeshImage;
}

export interface PlanSettings {
  /** `9:16`, `1:1`, `4:5`, `16:9`. */
  aspectRatio: string;
}

export type ToWorker =
  | {
      type: 'start';
      id: number;
      source: SourceFacts;
      plan: PlanSettings;
      backend: BackendChoice;
      /** WASM intra-op threads wanted (up to the cores, at most 4, when the page is cross-origin isolated); default 1. */
      threads?: number;
      /** Where the app serves the models and manifest (`/models`) and onnxruntime-web's files (`/vendor/ort/`). */
      modelBase: string;
      wasmBase: string;
    }
  | { type: 'audio'; id: number; samples: Float32Array }
  /** Frames in presentation order; every batch is acknowledged with a `progress`. */
  | { type: 'frames'; id: number; frames: AnalysisFrame[] }
  /** No more frames: `frames` is how many the video had. */
  | { type: 'end'; id: number; frames: number }
  | { type: 'replan'; id: number; plan: PlanSettings }
  /** To a second worker of this script: become the model helper answering on `port` (model-helper.ts). */
  | {
      type: 'serve';
      id: number;
      port: MessagePort;
      backend: BackendChoice;
      threads?: number;
      modelBase: string;
      wasmBase: string;
    }
  /** To the analysis worker: the other end of a model helper's port; runs started after it use the helper. */
  | { type: 'helper'; id: number; port: MessagePort }
  /** Face detection alone on one frame (the WebGPU/WASM comparison); answered with `detections`. */
  | {
      type: 'detect';
      id: number;
      image: RgbaImage;
      source: { width: number; height: number };
      backend: BackendChoice;
      threads?: number;
      modelBase: string;
      wasmBase: string;
    };

export interface Progress {
  /** Frame batches handled so far (the page keeps only a few in flight). */
  batches: number;
  /** Seconds of the video each stage has finished. */
  scanned: number;
  faces: number;
  meshed: number;
}

/** What the page shows: the crop path and the tracks of the part analysed so far. */
export interface PreviewResult {
  /** The analysed part: the path covers [0, analysedUntil). */
  analysedUntil: number;
  path: ReframePath;
  faces: FaceTrackingResult;
}

export interface FinalResult extends PreviewResult {
  scenes: Scene[];
  speakers: ActiveSpeakerResult | null;
}

export type FromWorker =
  /** `workers`: 2 when a model helper runs face detection and voice activity, else 1. */
  | { type: 'ready'; id: number; backend: Backend; threads: number; adapter: string; workers: number }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'partial'; id: number; result: PreviewResult }
  | { type: 'result'; id: number; result: FinalResult; seconds: number }
  | { type: 'detections'; id: number; backend: Backend; detections: { box: [number, number, number, number]; score: number }[] }
  | { type: 'error'; id: number; message: string };
