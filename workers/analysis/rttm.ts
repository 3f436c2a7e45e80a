// RTTM, the NIST exchange format for diarization: `SPEAKER file 1 start dur <NA> <NA> spk <NA> <NA>`
// lines. Parses text into speaker turns (other line types are ignored) and writes turns back.

export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: string;
}

/** SPEAKER lines of an RTTM document as turns, in file order. */
export function parseRttm(text: string): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'SPEAKER' || f.length < 8) continue;
    const start = Number(f[3]);
    const duration = Number(f[4]);
    if (!Number.isFinite(start) || !Number.isFinite(duration)) throw new Error(`Bad RTTM line: ${line}`);
    turns.push({ start, end: start + duration, speaker: f[7]! });
  }
  return turns;
}

/** An RTTM document (times in seconds to the millisecond) for `turns` of file `fileId`. */
export function writeRttm(turns: readonly SpeakerTurn[], fileId: string): string {
  // RTTM fields are whitespace-separated, so a file id or speaker name must not contain any.
  const token = (s: string) => s.replace(/\s+/g, '_') || '_';
  return turns
    .map(
      (t) => `SPEAKER ${token(fileId)} 1 ${t.start.toFixed(3)} ${(t.end - t.start).toFixed(3)} <NA> <NA> ${token(t.speaker)} <NA> <NA>\n`,
    )
    .join('');
}
