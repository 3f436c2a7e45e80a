'use client';
// The crop path editor: the source frame at the playhead with the crop window drawn on it. Pick a
// keyframe (or add one at the playhead) and drag its window — or move it with the arrow keys — pin a
// face for a span, then re-render: the edited path goes back as the reframe's `parameters.path`.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Faces } from './analysis-timeline';
import { trackColour } from './analysis-timeline';
import { Button } from './button';
import { addKeyframe, moveKeyframe, pinSubject, sceneIndexAt, windowAt, type CropPath } from './crop-path-edit';
import { inputClasses } from './text-field';
import { errorMessage } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { formatDuration } from './video-steps';

interface EditorProps {
  videoId: string;
  path: unknown;
  time: number;
  onSeek: (t: number) => void;
  width: number;
  height: number;
  faces?: Faces | undefined;
}

export function CropPathEditor({ videoId, path: stored, time, onSeek, width, height, faces }: EditorProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [path, setPath] = useState<CropPath>(stored as CropPath);
  const [selected, setSelected] = useState<{ scene: number; index: number } | null>(null);
  const [dirty, setDirty] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const still = useRef<HTMLVideoElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const ids = { face: useId(), from: useId(), to: useId() };
  const [pinFace, setPinFace] = useState(String(faces?.tracks[0]?.face_id ?? ''));
  const [pinFrom, setPinFrom] = useState('');
  const [pinTo, setPinTo] = useState('');
  const render = useMutation(
    trpc.videos.transform.mutationOptions({
      onSuccess: () => setDirty(false),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.videos.get.pathKey() }),
    }),
  );

  useEffect(() => {
    setPath(stored as CropPath);
    setSelected(null);
    setDirty(false);
  }, [stored]);
  useEffect(() => {
    const v = still.current;
    if (v && Math.abs(v.currentTime - time) > 0.04) v.currentTime = time;
  }, [time]);

  const s = sceneIndexAt(path, time);
  const scene = path.scenes[s];
  if (!scene) return null;
  const single = scene.layout === 'single' ? scene : null;
  const keyframe = selected && single && selected.scene === s ? single.keyframes[selected.index] : undefined;
  const win = keyframe ?? (single ? windowAt(single.keyframes, time) : null);

  const update = (next: CropPath) => {
    setPath(next);
    setDirty(true);
  };
  const selectAtPlayhead = () => {
    const added = addKeyframe(path, time);
    if (added.path !== path) update(added.path);
    setSelected({ scene: added.scene, index: added.index });
    return added;
  };
  const nudge = (dx: number, dy: number) => {
    const target = selected && selected.scene === s ? selected : selectAtPlayhead();
    setPath((p) => moveKeyframe(p, target.scene, target.index, dx, dy));
    setDirty(true);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY };
    if (!(selected && selected.scene === s)) selectAtPlayhead();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const box = frame.current?.getBoundingClientRect();
    if (!drag.current || !box) return;
    const scale = width / box.width;
    const dx = (e.clientX - drag.current.x) * scale;
    const dy = (e.clientY - drag.current.y) * scale;
    drag.current = { x: e.clientX, y: e.clientY };
    nudge(dx, dy);
  };
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 50 : 10;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!move) return;
    e.preventDefault();
    nudge(move[0]!, move[1]!);
  };
  const pin = () => {
    const track = faces?.tracks.find((t) => String(t.face_id) === pinFace);
    if (!track) return;
    const from = pinFrom.trim() ? Number(pinFrom) : scene.start;
    const to = pinTo.trim() ? Number(pinTo) : scene.end;
    update(pinSubject(path, track.face_id, track.detections, from, to));
    setSelected(null);
  };
  const rerender = () =>
    render.mutate({ id: videoId, transform_type: 'reframe', parameters: { path, aspect_ratio: path.aspect_ratio, auto_analyze: false } });

  const pctX = (v: number) => `${(v / width) * 100}%`;
  const pctY = (v: number) => `${(v / height) * 100}%`;
  const keyframes = single?.keyframes ?? [];

  return (
    <section
      aria-labelledby="editor-heading"
      className="rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="editor-heading" className="text-base font-semibold">
          Crop path editor
        </h2>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">
          Scene {s + 1} of {path.scenes.length} · {scene.layout} · {keyframes.length} keyframe{keyframes.length === 1 ? '' : 's'}
        </span>
      </div>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Drag the window (or focus it and use the arrow keys, Shift for bigger steps) to set a keyframe at the playhead. The window moves in
        a straight line between keyframes.
      </p>

      <div className="mt-4 grid gap-5 lg:grid-cols-[minmax(0,1fr)_16rem]">
        <div
          ref={frame}
          className="relative mx-auto w-full touch-none select-none overflow-hidden rounded-xl bg-black"
          style={{ aspectRatio: `${width} / ${height}`, maxWidth: `calc(26rem * ${width / height})` }}
        >
          <video
            ref={still}
            src={`/media/${videoId}/source`}
            muted
            playsInline
            preload="auto"
            className="absolute inset-0 h-full w-full opacity-70"
            aria-hidden="true"
            tabIndex={-1}
          />
          {win ? (
            <div
              role="button"
              tabIndex={0}
              aria-label={`Crop window at ${formatDuration(time)}: x ${Math.round(win.x)}, y ${Math.round(win.y)}. Drag or use the arrow keys to move it.`}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={() => (drag.current = null)}
              onKeyDown={onKey}
              data-testid="crop-window"
              className={`absolute cursor-grab border-2 bg-white/10 shadow-[0_0_0_9999px_rgba(0,0,0,0.45)] focus-visible:outline-4 focus-visible:outline-offset-0 focus-visible:outline-amber-400 active:cursor-grabbing ${keyframe ? 'border-amber-400' : 'border-white'}`}
              style={{ left: pctX(win.x), top: pctY(win.y), width: pctX(win.w), height: pctY(win.h) }}
            >
              <span className="absolute left-1 top-1 rounded bg-black/70 px-1.5 py-0.5 text-[11px] font-medium text-white">
                {keyframe ? `Keyframe ${formatDuration(keyframe.t)}` : 'Interpolated'}
                {win.subject !== null && win.subject !== undefined ? ` · face ${win.subject}` : ''}
              </span>
            </div>
          ) : (
            <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-white">
              Split scenes are edited in the JSON download for now.
            </p>
          )}
        </div>

        <div className="space-y-4 text-sm">
          <div>
            <h3 className="font-medium">Keyframes in this scene</h3>
            <ul className="mt-2 flex max-h-32 flex-wrap gap-1.5 overflow-y-auto">
              {keyframes.map((k, i) => (
                <li key={`${k.t}-${i}`}>
                  <button
                    type="button"
                    onClick={() => {
                      setSelected({ scene: s, index: i });
                      onSeek(k.t);
                    }}
                    aria-pressed={selected?.scene === s && selected.index === i}
                    className="rounded-md border border-zinc-300 px-2 py-0.5 text-xs tabular-nums hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-pressed:border-amber-500 aria-pressed:bg-amber-50 dark:border-zinc-700 dark:hover:bg-zinc-800 dark:aria-pressed:bg-amber-950/50"
                  >
                    {k.t.toFixed(2)} s
                  </button>
                </li>
              ))}
            </ul>
            <Button size="sm" variant="secondary" className="mt-2" disabled={!single} onClick={() => selectAtPlayhead()}>
              Keyframe at playhead
            </Button>
          </div>

          {faces && faces.tracks.length > 0 ? (
            <fieldset className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
              <legend className="pt-3 font-medium">Pin a subject</legend>
              <div>
                <label htmlFor={ids.face} className="text-xs font-medium">
                  Face
                </label>
                <select id={ids.face} value={pinFace} onChange={(e) => setPinFace(e.target.value)} className={`mt-1 ${inputClasses()}`}>
                  {faces.tracks.map((t, i) => (
                    <option key={t.face_id} value={t.face_id} style={{ color: trackColour(i) }}>
                      Face {t.face_id} ({formatDuration(t.first_seen)}–{formatDuration(t.last_seen)})
                    </option>
                  ))}
                </select>
              </div>
              <div className="grid grid-cols-2 gap-2">
                <div>
                  <label htmlFor={ids.from} className="text-xs font-medium">
                    From (s)
                  </label>
                  <input
                    id={ids.from}
                    type="number"
                    step="0.1"
                    min={0}
                    placeholder={scene.start.toFixed(1)}
                    value={pinFrom}
                    onChange={(e) => setPinFrom(e.target.value)}
                    className={`mt-1 ${inputClasses()}`}
                  />
                </div>
                <div>
                  <label htmlFor={ids.to} className="text-xs font-medium">
                    To (s)
                  </label>
                  <input
                    id={ids.to}
                    type="number"
                    step="0.1"
                    min={0}
                    placeholder={scene.end.toFixed(1)}
                    value={pinTo}
                    onChange={(e) => setPinTo(e.target.value)}
                    className={`mt-1 ${inputClasses()}`}
                  />
                </div>
              </div>
              <Button size="sm" variant="secondary" onClick={pin} disabled={!single}>
                Pin face for this span
              </Button>
            </fieldset>
          ) : null}

          <div className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Button className="w-full" disabled={!dirty || render.isPending} onClick={rerender}>
              {render.isPending ? 'Starting…' : 'Re-render with these edits'}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              className="w-full"
              disabled={!dirty}
              onClick={() => {
                setPath(stored as CropPath);
                setSelected(null);
                setDirty(false);
              }}
            >
              Discard edits
            </Button>
            {render.error ? (
              <p role="alert" className="text-red-600 dark:text-red-400">
                {errorMessage(render.error)}
              </p>
            ) : dirty ? (
              <p className="text-xs text-amber-700 dark:text-amber-300">Unsaved edits — re-render to apply them.</p>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  );
}
