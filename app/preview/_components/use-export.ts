// The export panel's state machine: starts one in-browser export (workers/browser/export-clip) at a
// time, reports its progress, cancels it, and owns the finished clip's object URL (revoked when a new
// export starts or the component unmounts). Fed by the file, the crop path and the range.
'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReframePath } from '../../../workers/analysis/reframe-path';
import { exportClip } from '../../../workers/browser/export-clip';

export type ExportState =
  | { status: 'idle' }
  | { status: 'running'; progress: number }
  | { status: 'done'; url: string; bytes: number; seconds: number }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

export interface ExportRequest {
  file: Blob;
  path: ReframePath;
  start: number;
  end: number;
  output: { width: number; height: number };
}

export function useExport() {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const url = useRef<string | null>(null);

  const release = () => {
    if (url.current) URL.revokeObjectURL(url.current);
    url.current = null;
  };

  useEffect(
    () => () => {
      controller.current?.abort();
      release();
    },
    [],
  );

  const start = useCallback(async (request: ExportRequest) => {
    controller.current?.abort();
    release();
    const own = new AbortController();
    controller.current = own;
    setState({ status: 'running', progress: 0 });
    const began = performance.now();
    try {
      const clip = await exportClip({
        ...request,
        signal: own.signal,
        onProgress: (progress) => {
          if (controller.current === own) setState({ status: 'running', progress });
        },
      });
      if (controller.current !== own) return;
      url.current = URL.createObjectURL(clip);
      setState({ status: 'done', url: url.current, bytes: clip.size, seconds: (performance.now() - began) / 1000 });
    } catch (error) {
      if (controller.current !== own) return;
      if (own.signal.aborted) setState({ status: 'cancelled' });
      else setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (controller.current === own) controller.current = null;
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);

  return { state, start, cancel };
}
