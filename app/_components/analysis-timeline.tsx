'use client';
// The timeline under the source player: a scene strip, one lane per face track (when it is on
// screen), each track's speaking score as a plot, the diarized speakers' lanes, and the transcript
// with the current word highlighted. Clicking a lane or a word seeks; the playhead is a keyboard
// slider (arrows ±1 s, Page keys ±5 s, Home/End). Fed with the stored analysis results.
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';
import type { z } from 'zod';
import type {
  ActiveSpeakerResult,
  DiarizationResult,
  FaceTrackingResult,
  SceneDetectionResult,
  TranscriptionResult,
} from '../../server/contracts/results';
import { formatDuration } from './video-steps';

export type Scenes = z.infer<typeof SceneDetectionResult>;
export type Faces = z.infer<typeof FaceTrackingResult>;
export type Speakers = z.infer<typeof ActiveSpeakerResult>;
export type Transcript = z.infer<typeof TranscriptionResult>;
export type Diarization = z.infer<typeof DiarizationResult>;

/** One colour per face track / speaker, readable on light and dark backgrounds. */
export const TRACK_COLOURS = ['#6366f1', '#f59e0b', '#10b981', '#ec4899', '#06b6d4', '#8b5cf6', '#ef4444', '#84cc16'];
export const trackColour = (i: number) => TRACK_COLOURS[((i % TRACK_COLOURS.length) + TRACK_COLOURS.length) % TRACK_COLOURS.length]!;

interface TimelineProps {
  duration: number;
  time: number;
  onSeek: (t: number) => void;
  /** Relative to where the player really is (key repeats arrive faster than renders). */
  onSeekBy: (seconds: number) => void;
  scenes?: Scenes | undefined;
  faces?: Faces | undefined;
  speakers?: Speakers | undefined;
  diarization?: Diarization | undefined;
  transcript?: Transcript | undefined;
}

function Lane({
  label,
  colour,
  children,
  onSeek,
  duration,
}: {
  label: string;
  colour?: string;
  children: ReactNode;
  onSeek: (t: number) => void;
  duration: number;
}) {
  const seek = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    onSeek(((e.clientX - box.left) / box.width) * duration);
  };
  return (
    <div className="grid grid-cols-[6.5rem_1fr] items-center gap-3 sm:grid-cols-[8rem_1fr]">
      <span className="flex min-w-0 items-center gap-1.5 truncate text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {colour ? <span className="h-2.5 w-2.5 shrink-0 rounded-sm" style={{ background: colour }} aria-hidden="true" /> : null}
        {label}
      </span>
      <div
        className="relative h-6 cursor-pointer overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800/70"
        onClick={seek}
        aria-hidden="true"
      >
        {children}
      </div>
    </div>
  );
}

const pct = (t: number, duration: number) => `${(Math.min(duration, Math.max(0, t)) / duration) * 100}%`;

function Span({
  start,
  end,
  duration,
  colour,
  title,
  opacity = 1,
}: {
  start: number;
  end: number;
  duration: number;
  colour: string;
  title: string;
  opacity?: number;
}) {
  return (
    <div
      className="absolute inset-y-0.5 rounded-sm"
      style={{ left: pct(start, duration), width: `calc(${pct(end, duration)} - ${pct(start, duration)})`, background: colour, opacity }}
      title={title}
    />
  );
}

export function AnalysisTimeline({ duration, time, onSeek, onSeekBy, scenes, faces, speakers, diarization, transcript }: TimelineProps) {
  const d = Math.max(duration, 0.001);
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, PageDown: -5, PageUp: 5 }[e.key];
    if (step !== undefined) onSeekBy(step);
    else if (e.key === 'Home') onSeek(0);
    else if (e.key === 'End') onSeek(d);
    else return;
    e.preventDefault();
  };
  const words = transcript?.segments.flatMap((s) => s.words) ?? [];
  const current = words.findIndex((w) => time >= w.start && time < w.end);
  const faceIndex = new Map(faces?.tracks.map((t, i) => [t.face_id, i]) ?? []);
  const empty = !scenes && !faces && !speakers && !diarization && !transcript;

  return (
    <section
      aria-labelledby="timeline-heading"
      className="rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center justify-between gap-3">
        <h2 id="timeline-heading" className="text-base font-semibold">
          Timeline
        </h2>
        <span className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400">
          {formatDuration(time)} / {formatDuration(duration)}
        </span>
      </div>

      <div className="relative mt-4 space-y-1.5">
        <div className="grid grid-cols-[6.5rem_1fr] gap-3 sm:grid-cols-[8rem_1fr]">
          <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Playhead</span>
          <div
            role="slider"
            tabIndex={0}
            aria-label="Playhead"
            aria-valuemin={0}
            aria-valuemax={Math.round(d)}
            aria-valuenow={Math.round(time)}
            aria-valuetext={`${formatDuration(time)} of ${formatDuration(duration)}`}
            onKeyDown={onKey}
            onClick={(e) => {
              const box = e.currentTarget.getBoundingClientRect();
              onSeek(((e.clientX - box.left) / box.width) * d);
            }}
            className="relative h-3 cursor-pointer rounded-full bg-zinc-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-zinc-800"
          >
            <div className="absolute inset-y-0 left-0 rounded-full bg-indigo-600 dark:bg-indigo-400" style={{ width: pct(time, d) }} />
            <div
              className="absolute top-1/2 h-4 w-4 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-indigo-600 shadow dark:border-zinc-900 dark:bg-indigo-400"
              style={{ left: pct(time, d) }}
            />
          </div>
        </div>

        {scenes ? (
          <Lane label={`Scenes (${scenes.scenes.length})`} onSeek={onSeek} duration={d}>
            {scenes.scenes.map((s) => (
              <Span
                key={s.index}
                start={s.start}
                end={s.end}
                duration={d}
                colour={s.index % 2 ? '#a1a1aa' : '#71717a'}
                title={`Scene ${s.index + 1}: ${formatDuration(s.start)}–${formatDuration(s.end)}`}
              />
            ))}
          </Lane>
        ) : null}

        {faces?.tracks.map((t, i) => (
          <Lane key={`face-${t.face_id}`} label={`Face ${t.face_id}`} colour={trackColour(i)} onSeek={onSeek} duration={d}>
            <Span
              start={t.first_seen}
              end={t.last_seen}
              duration={d}
              colour={trackColour(i)}
              opacity={0.85}
              title={`Face ${t.face_id} on screen`}
            />
          </Lane>
        ))}

        {speakers?.tracks.map((t) => {
          const colour = trackColour(faceIndex.get(t.face_id) ?? t.face_id);
          const points = t.scores.map((s) => `${(s.timestamp / d) * 1000},${(1 - s.score) * 22 + 1}`).join(' ');
          return (
            <Lane key={`speak-${t.face_id}`} label={`Speaking · face ${t.face_id}`} colour={colour} onSeek={onSeek} duration={d}>
              <svg viewBox="0 0 1000 24" preserveAspectRatio="none" className="absolute inset-0 h-full w-full">
                <polyline points={points} fill="none" stroke={colour} strokeWidth="1.8" vectorEffect="non-scaling-stroke" />
              </svg>
            </Lane>
          );
        })}

        {diarization?.speakers.map((sp, i) => (
          <Lane
            key={`spk-${sp.speaker}`}
            label={`${sp.speaker}${sp.face_id !== undefined ? ` · face ${sp.face_id}` : ''}`}
            colour={trackColour(sp.face_id !== undefined ? (faceIndex.get(sp.face_id) ?? i) : i + 4)}
            onSeek={onSeek}
            duration={d}
          >
            {diarization.segments
              .filter((s) => s.speaker === sp.speaker)
              .map((s) => (
                <Span
                  key={`${s.start}`}
                  start={s.start}
                  end={s.end}
                  duration={d}
                  colour={trackColour(sp.face_id !== undefined ? (faceIndex.get(sp.face_id) ?? i) : i + 4)}
                  title={`${sp.speaker} ${formatDuration(s.start)}–${formatDuration(s.end)}`}
                />
              ))}
          </Lane>
        ))}

        {duration > 0 ? (
          <div
            className="pointer-events-none absolute inset-y-0 left-[calc(6.5rem+0.75rem)] right-0 sm:left-[calc(8rem+0.75rem)]"
            aria-hidden="true"
          >
            <div className="absolute inset-y-0 w-px bg-red-500" style={{ left: pct(time, d) }} />
          </div>
        ) : null}
      </div>

      {transcript ? (
        <div className="mt-5 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h3 className="text-sm font-semibold">
            Transcript{' '}
            <span className="font-normal text-zinc-500 dark:text-zinc-400">· {transcript.engine}, click a word to jump to it</span>
          </h3>
          {words.length === 0 ? (
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No speech was recognised.</p>
          ) : (
            <p className="mt-2 flex flex-wrap gap-x-1 gap-y-1 text-sm leading-relaxed" data-testid="transcript">
              {words.map((w, i) => (
                <button
                  key={`${w.start}-${i}`}
                  type="button"
                  onClick={() => onSeek(w.start + 0.01)}
                  aria-current={i === current ? 'true' : undefined}
                  className={`rounded px-0.5 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 ${
                    i === current ? 'bg-amber-200 text-zinc-950 dark:bg-amber-400/80' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
                  }`}
                >
                  {w.word}
                </button>
              ))}
            </p>
          )}
        </div>
      ) : null}

      {empty ? (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Run the analyses on the right to see scenes, faces, who speaks and the transcript here.
        </p>
      ) : null}
    </section>
  );
}
