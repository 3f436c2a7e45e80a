// Face boxes over the source player at the current time: each kept track's nearest detection, and the
// face the crop path frames then (its subject) highlighted. Placed in percent of the source frame, so
// any player size works. Fed the face tracks and the crop path of the part analysed so far.
'use client';

import type { FaceTrackingResult } from '../../../workers/analysis/face-tracking-result';
import type { ReframePath } from '../../../workers/analysis/reframe-path';
import { cropAt } from './crop-view';

function nearestDetection(track: FaceTrackingResult['tracks'][number], t: number, within: number) {
  let best: (typeof track.detections)[number] | undefined;
  for (const d of track.detections) if (!best || Math.abs(d.timestamp - t) < Math.abs(best.timestamp - t)) best = d;
  return best && Math.abs(best.timestamp - t) <= within ? best : undefined;
}

export function SubjectBoxes({ faces, path, time }: { faces: FaceTrackingResult; path: ReframePath | null; time: number }) {
  const within = 1.5 / Math.max(1, faces.sample_fps);
  const subject = path ? (cropAt(path, time)?.subject ?? null) : null;
  const { width, height } = path?.source ?? { width: 1, height: 1 };
  return (
    <div className="pointer-events-none absolute inset-0" aria-hidden="true">
      {faces.tracks.map((track) => {
        const d = nearestDetection(track, time, within);
        if (!d) return null;
        const [x, y, w, h] = d.bbox;
        const active = subject === track.face_id;
        return (
          <div
            key={track.face_id}
            data-testid="face-box"
            data-face-id={track.face_id}
            data-subject={active ? 'true' : 'false'}
            className={`absolute rounded-md ${active ? 'border-[3px] border-amber-400 shadow-[0_0_0_3px_rgba(255,255,255,0.6)]' : 'border-2 border-dashed border-sky-300'}`}
            style={{
              left: `${(x / width) * 100}%`,
              top: `${(y / height) * 100}%`,
              width: `${(w / width) * 100}%`,
              height: `${(h / height) * 100}%`,
            }}
          >
            <span
              className={`absolute -top-6 left-0 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${active ? 'bg-amber-400 text-zinc-950' : 'bg-sky-300/90 text-zinc-950'}`}
            >
              Face {track.face_id}
              {active ? ' · framed' : ''}
            </span>
          </div>
        );
      })}
    </div>
  );
}
