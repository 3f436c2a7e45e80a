// The reframed picture: the source player's current frame cut to the crop path's window at the same
// time and drawn on a canvas in the path's aspect, redrawn for every frame the player presents, so it
// stays in sync with playback and seeking. Past the analysed part it says so instead.
'use client';

import { useEffect, useRef } from 'react';
import { lerpWindow, sceneAt, windowAt, type ReframePath, type SingleKeyframe } from '../../../workers/analysis/reframe-path';

/** The single-layout window (and its subject) of the path at time t. */
export function cropAt(path: ReframePath, t: number): SingleKeyframe | null {
  const scene = sceneAt(path, t);
  if (!scene || scene.layout !== 'single') return null;
  return windowAt(scene.keyframes, t, lerpWindow);
}

export function CropView({
  video,
  path,
  analysedUntil,
}: {
  video: HTMLVideoElement | null;
  path: ReframePath | null;
  analysedUntil: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const current = useRef({ path, analysedUntil });
  current.current = { path, analysedUntil };

  useEffect(() => {
    const c = canvas.current;
    if (!video || !c) return;
    const context = c.getContext('2d');
    if (!context) return;
    let handle = 0;
    const draw = () => {
      const { path: p, analysedUntil: until } = current.current;
      const t = video.currentTime;
      const crop = p && t <= until + 0.05 ? cropAt(p, t) : null;
      context.fillStyle = '#18181b';
      context.fillRect(0, 0, c.width, c.height);
      if (crop && video.readyState >= 2) {
        context.drawImage(video, crop.x, crop.y, crop.w, crop.h, 0, 0, c.width, c.height);
        c.dataset.cropX = String(Math.round(crop.x));
        c.dataset.subject = crop.subject === null ? '' : String(crop.subject);
      } else {
        context.fillStyle = '#a1a1aa';
        context.font = '16px system-ui, sans-serif';
        context.textAlign = 'center';
        context.fillText(p ? 'Not analysed yet' : 'Analysing…', c.width / 2, c.height / 2);
        delete c.dataset.cropX;
      }
    };
    const loop = () => {
      draw();
      handle = video.requestVideoFrameCallback(loop);
    };
    handle = video.requestVideoFrameCallback(loop);
    video.addEventListener('seeked', draw);
    const timer = window.setInterval(draw, 250);
    draw();
    return () => {
      video.cancelVideoFrameCallback(handle);
      video.removeEventListener('seeked', draw);
      window.clearInterval(timer);
    };
  }, [video]);

  const width = path?.output.width ?? 9;
  const height = path?.output.height ?? 16;
  const displayHeight = 480;
  return (
    <canvas
      ref={canvas}
      data-testid="crop-canvas"
      aria-label="Reframed preview"
      width={Math.max(2, Math.round((displayHeight * width) / height))}
      height={displayHeight}
      className="max-h-[480px] max-w-full rounded-lg bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
    />
  );
}
