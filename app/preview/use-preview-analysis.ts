// The preview's analysis as React state: owns the analysis Web Worker (created on first use, terminated
// on cancel and unmount), decodes the chosen file in the page (WebCodecs, or ffmpeg.wasm for files
// WebCodecs cannot open; Web Audio for the sound), streams it to the worker a few batches at a time, and
// exposes progress, the backend, the crop path and face tracks of the part analysed so far, and the
// final result. Nothing is sent over the network.
'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { AnalysisFrames } from '../../workers/browser/analysis-frames';
import { decodeAudio16k } from '../../workers/browser/decode-audio';
import { FFmpegFrameSource } from '../../workers/browser/ffmpeg-frames';
import { Mp4FrameSource } from '../../workers/browser/mp4-frame-source';
import type {
  AnalysisFrame,
  Backend,
  BackendChoice,
  FinalResult,
  FromWorker,
  PreviewResult,
  Progress,
  ToWorker,
} from '../../workers/browser/protocol';

export type PreviewStatus = 'idle' | 'starting' | 'analysing' | 'done' | 'cancelled' | 'error';

export interface PreviewState {
  status: PreviewStatus;
  backend: { backend: Backend; threads: number; adapter: string; workers: number } | null;
  /** 0–1: the part of the video whose crop path is known. */
  fraction: number;
  progress: Progress | null;
  source: { width: number; height: number; duration: number; fps: number } | null;
  result: PreviewResult | FinalResult | null;
  /** Wall-clock seconds of the finished analysis. */
  seconds: number | null;
  error: string | null;
}

const INITIAL: PreviewState = {
  status: 'idle',
  backend: null,
  fraction: 0,
  progress: null,
  source: null,
  result: null,
  seconds: null,
  error: null,
};

/** Frames per message, and messages the worker may have unanswered: enough to keep it busy, few
 *  enough that decoded frames do not pile up in memory. */
const BATCH = 5;
const IN_FLIGHT = 3;
/** Where the app serves the models and onnxruntime-web's files. */
const ASSETS = { modelBase: '/models', wasmBase: '/vendor/ort/' } as const;

declare global {
  interface Window {
    /** The latest preview state, for tests and for integrators inspecting the crop path. */
    __reframePreview?: PreviewState;
  }
}

export function usePreviewAnalysis(options: {
  backend: BackendChoice;
  threads?: number | undefined;
  /** 1: no model helper worker (the default is one when the device has a second core). */
  workers?: number | undefined;
  aspectRatio: string;
}) {
  const [state, setState] = useState<PreviewState>(INITIAL);
  const worker = useRef<Worker | null>(null);
  const helper = useRef<Worker | null>(null);
  const runId = useRef(0);
  const acked = useRef<{ count: number; wake: (() => void) | null }>({ count: 0, wake: null });
  const abort = useRef<AbortController | null>(null);
  const aspect = useRef(options.aspectRatio);

  const update = useCallback((change: (s: PreviewState) => PreviewState) => {
    setState((s) => {
      const next = change(s);
      if (typeof window !== 'undefined') window.__reframePreview = next;
      return next;
    });
  }, []);

  const stopWorker = useCallback(() => {
    abort.current?.abort();
    abort.current = null;
    worker.current?.terminate();
    worker.current = null;
    helper.current?.terminate();
    helper.current = null;
    acked.current.wake?.();
  }, []);

  useEffect(() => stopWorker, [stopWorker]);

  const ensureWorker = useCallback(() => {
    if (worker.current) return worker.current;
    const w = new Worker(new URL('../../workers/browser/analysis.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.id !== runId.current) return;
      if (m.type === 'ready')
        update((s) => ({
          ...s,
          status: 'analysing',
          backend: { backend: m.backend, threads: m.threads, adapter: m.adapter, workers: m.workers },
        }));
      else if (m.type === 'progress') {
        acked.current.count = m.progress.batches;
        acked.current.wake?.();
        update((s) => ({ ...s, progress: m.progress }));
      } else if (m.type === 'partial')
        update((s) => ({ ...s, result: m.result, fraction: s.source ? m.result.analysedUntil / s.source.duration : 0 }));
      else if (m.type === 'result')
        update((s) => ({ ...s, status: 'done', result: m.result, fraction: 1, seconds: s.seconds ?? m.seconds }));
      else if (m.type === 'error') {
        update((s) => ({ ...s, status: 'error', error: m.message }));
        stopWorker();
      }
    };
    w.onerror = (e) => {
      update((s) => ({ ...s, status: 'error', error: e.message || 'the analysis worker failed to start' }));
      stopWorker();
    };
    worker.current = w;
    // With a second core, a second worker runs face detection and voice activity while the first
    // meshes faces (model-helper.ts); the two talk over their own channel.
    if ((options.workers ?? 2) >= 2 && (navigator.hardwareConcurrency || 1) >= 2) {
      const h = new Worker(new URL('../../workers/browser/analysis.worker.ts', import.meta.url), { type: 'module' });
      h.onerror = w.onerror;
      const channel = new MessageChannel();
      const serve: ToWorker = {
        type: 'serve',
        id: 0,
        port: channel.port1,
        backend: options.backend,
        ...(options.threads ? { threads: options.threads } : {}),
        ...ASSETS,
      };
      h.postMessage(serve, [channel.port1]);
      w.postMessage({ type: 'helper', id: 0, port: channel.port2 } satisfies ToWorker, [channel.port2]);
      helper.current = h;
    }
    return w;
  }, [options.backend, options.threads, options.workers, stopWorker, update]);

  const analyse = useCallback(
    async (file: File) => {
      stopWorker();
      const id = ++runId.current;
      const controller = new AbortController();
      abort.current = controller;
      acked.current = { count: 0, wake: null };
      update(() => ({ ...INITIAL, status: 'starting' }));
      try {
        // Files WebCodecs cannot take (AVI, MPEG-4 part 2, …) are decoded by ffmpeg.wasm instead.
        const source = await Mp4FrameSource.open(file).catch(() => FFmpegFrameSource.open(file, { signal: controller.signal }));
        const facts = { width: source.facts.width, height: source.facts.height, duration: source.facts.duration, fps: source.facts.fps };
        update((s) => ({ ...s, source: facts }));
        const w = ensureWorker();
        const send = (m: ToWorker, transfer: Transferable[] = []) => w.postMessage(m, transfer);
        send({
          type: 'start',
          id,
          source: facts,
          plan: { aspectRatio: aspect.current },
          backend: options.backend,
          ...(options.threads ? { threads: options.threads } : {}),
          ...ASSETS,
        });
        // The sound decodes alongside the frames; it must reach the worker before `end` (the speaker fusion needs it).
        const audio = decodeAudio16k(file).then((samples) => {
          if (runId.current === id) send({ type: 'audio', id, samples }, [samples.buffer]);
        });
        const maker = new AnalysisFrames(source.facts);
        let batch: AnalysisFrame[] = [];
        let transfer: ArrayBuffer[] = [];
        let sent = 0;
        let frames = 0;
        const flush = async () => {
          if (!batch.length) return;
          // Backpressure: wait while the worker has IN_FLIGHT batches unanswered.
          while (sent - acked.current.count >= IN_FLIGHT && !controller.signal.aborted) {
            await new Promise<void>((r) => (acked.current.wake = r));
          }
          controller.signal.throwIfAborted();
          send({ type: 'frames', id, frames: batch }, transfer);
          sent++;
          batch = [];
          transfer = [];
        };
        for await (const decoded of source.frames(controller.signal)) {
          try {
            const made = await maker.make(decoded.frame, decoded.timestamp, decoded.video);
            batch.push(made.frame);
            transfer.push(...made.transfer);
          } finally {
            decoded.video.close();
          }
          frames++;
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        await audio;
        send({ type: 'end', id, frames });
      } catch (e) {
        if (controller.signal.aborted) return;
        update((s) => ({ ...s, status: 'error', error: e instanceof Error ? e.message : String(e) }));
        stopWorker();
      }
    },
    [ensureWorker, options.backend, options.threads, stopWorker, update],
  );

  const cancel = useCallback(() => {
    runId.current++;
    stopWorker();
    update((s) => ({ ...s, status: s.status === 'done' ? 'done' : 'cancelled' }));
  }, [stopWorker, update]);

  /** A new aspect ratio: the finished analysis is planned again (no frames are decoded again). */
  const setAspectRatio = useCallback((aspectRatio: string) => {
    aspect.current = aspectRatio;
    worker.current?.postMessage({ type: 'replan', id: runId.current, plan: { aspectRatio } } satisfies ToWorker);
  }, []);

  return { state, analyse, cancel, setAspectRatio };
}
