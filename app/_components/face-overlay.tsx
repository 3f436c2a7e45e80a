// Face boxes drawn over the source player at the current time: each track's nearest detection (within
// a sample interval), coloured like its timeline lane, and the active speaker's box highlighted and
// labelled "speaking". Boxes are placed in percent of the source frame, so any player size works.
import { trackColour, type Faces, type Speakers } from './analysis-timeline';

function nearest<T extends { timestamp: number }>(items: T[], t: number, within: number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.timestamp < t) lo = mid + 1;
    else hi = mid;
  }
  const candidates = [items[lo - 1], items[lo]].filter((x): x is T => x !== undefined);
  const best = candidates.sort((a, b) => Math.abs(a.timestamp - t) - Math.abs(b.timestamp - t))[0];
  return best && Math.abs(best.timestamp - t) <= within ? best : undefined;
}

/** The face that speaks at `t`: the highest speaking score among the tracks marked speaking. */
export function activeSpeakerAt(speakers: Speakers | undefined, t: number): number | null {
  let best: { face: number; score: number } | null = null;
  for (const track of speakers?.tracks ?? []) {
    const s = nearest(track.scores, t, 0.2);
    if (s?.speaking && (!best || s.score > best.score)) best = { face: track.face_id, score: s.score };
  }
  return best?.face ?? null;
}

export function FaceOverlay({
  faces,
  speakers,
  time,
  width,
  height,
}: {
  faces: Faces;
  speakers?: Speakers | undefined;
  time: number;
  width: number;
  height: number;
}) {
  const within = 1.5 / Math.max(1, faces.sample_fps);
  const speaking = activeSpeakerAt(speakers, time);
  return (
    <div className="pointer-events-none absolute inset-0" aria-hidden="true">
      {faces.tracks.map((track, i) => {
        if (time < track.first_seen - within || time > track.last_seen + within) return null;
        const det = nearest(track.detections, time, within);
        if (!det) return null;
        const [x, y, w, h] = det.bbox;
        const active = speaking === track.face_id;
        const colour = trackColour(i);
        return (
          <div
            key={track.face_id}
            data-testid="face-box"
            className={`absolute rounded-md ${active ? 'border-[3px] shadow-[0_0_0_3px_rgba(255,255,255,0.6)]' : 'border-2 border-dashed'}`}
            style={{
              left: `${(x / width) * 100}%`,
              top: `${(y / height) * 100}%`,
              width: `${(w / width) * 100}%`,
              height: `${(h / height) * 100}%`,
              borderColor: colour,
            }}
          >
            <span
              className="absolute -top-6 left-0 whitespace-nowrap rounded px-1.5 py-0.5 text-[11px] font-semibold text-white"
              style={{ background: colour }}
            >
              Face {track.face_id}
              {active ? ' · speaking' : ''}
            </span>
          </div>
        );
      })}
    </div>
  );
}
