// The worker's onnxruntime-node sessions for the models in public/models/ (built by
// scripts/build-models.mjs). Fed a model name from public/models/manifest.json; returns one shared,
// lazily created InferenceSession per model and process, or the model's manifest entry.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

const MODELS_DIR = path.resolve(import.meta.dirname, '../../public/models');

export type TensorInfo = { name: string; shape: (number | string)[]; type: string };

export type ModelInfo = {
  name: string;
  file: string;
  /** npm package@version the model was built from. */
  source: string;
  sourceFile: string;
  licence: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  bytes: number;
  sha256: string;
  notes: string;
};

let manifest: Map<string, ModelInfo> | undefined;
const sessions = new Map<string, Promise<ort.InferenceSession>>();

export function modelInfo(name: string): ModelInfo {
  manifest ??= new Map(
    (JSON.parse(readFileSync(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as { models: ModelInfo[] }).models.map((m) => [m.name, m]),
  );
  const info = manifest.get(name);
  if (!info) throw new Error(`unknown model ${name}; public/models/manifest.json lists ${[...manifest.keys()].join(', ')}`);
  return info;
}

export function loadModel(name: string): Promise<ort.InferenceSession> {
  let session = sessions.get(name);
  if (!session) {
    // One thread per session: for models this small a second intra-op thread was measured slower
    // (BlazeFace 2.8 ms, landmarks 11.6 ms per run on one CPU thread).
    session = ort.InferenceSession.create(path.join(MODELS_DIR, modelInfo(name).file), {
      intraOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    // A failed load (say, models not built yet) is not cached, so the next call tries again.
    session.catch(() => sessions.delete(name));
    sessions.set(name, session);
  }
  return session;
}
