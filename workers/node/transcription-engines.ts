// Speech-to-text engines behind one interface: PocketSphinx (Debian's, offline, the default) and
// whisper.cpp (when WHISPER_CPP_BIN and WHISPER_MODEL are set). Fed a media file, each converts its
// first audio track to 16 kHz mono WAV, runs one process over the whole file and returns timed words;
// PocketSphinx's progress is how far into the audio its latest utterance ends.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { env } from '../../server/env';
import { pocketsphinxOutput } from '../analysis/pocketsphinx-output';
import type { TimedWord } from '../analysis/transcript-segments';
import { whisperCppJson } from '../analysis/whisper-cpp-json';

const run = promisify(execFile);
/** Recognisers print a few dozen bytes per word: room for many hours of speech. */
const MAX_OUTPUT = 256 * 1024 * 1024;

export interface Transcript {
  language: string;
  words: TimedWord[];
}

export interface TranscribeOptions {
  signal?: AbortSignal;
  /** ISO 639-1; engines that know one language ignore it. */
  language?: string;
  /** Share of the audio transcribed so far (0–1), as the engine tells it. */
  progress?: (fraction: number) => void;
}

export interface TranscriptionEngine {
  name: 'pocketsphinx' | 'whisper.cpp';
  /** Words of a file's first audio track; none for a file without audio. */
  transcribe(file: string, o?: TranscribeOptions): Promise<Transcript>;
}

export const pocketsphinxEngine: TranscriptionEngine = {
  name: 'pocketsphinx',
  transcribe: (file, o = {}) =>
    withWav16k(file, o.signal, async (wav, dir) => {
      if (!wav) return { language: 'en', words: [] };
      // Its log goes to a file of its own so that stdout holds just hypotheses and word times;
      // one process per file, since start-up (loading the model) costs ~0.7 s.
      const log = path.join(dir, 'pocketsphinx.log');
      const seconds = ((await fs.stat(wav)).size - WAV_HEADER_BYTES) / WAV_BYTES_PER_SECOND;
      const stdout = await runReportingTime('pocketsphinx_continuous', ['-infile', wav, '-time', 'yes', '-logfn', log], o.signal, (t) =>
        o.progress?.(Math.min(0.99, t / seconds)),
      ).catch(async (e: unknown) => {
        if (o.signal?.aborted) throw o.signal.reason;
        const tail = (await fs.readFile(log, 'utf8').catch(() => '')).trim().split('\n').at(-1) ?? '';
        throw new Error(`pocketsphinx failed: ${tail || (e as Error).message}`);
      });
      return { language: 'en', words: pocketsphinxOutput(stdout) };
    }),
};

/** Bytes of the canonical WAV header ffmpeg writes, and of a second of 16 kHz mono 16-bit audio. */
const WAV_HEADER_BYTES = 44;
const WAV_BYTES_PER_SECOND = 32_000;

/** Runs a recogniser and returns its stdout; `time` gets the end (seconds) of each word line as it is printed. */
async function runReportingTime(
  cmd: string,
  args: string[],
  signal: AbortSignal | undefined,
  time: (seconds: number) => void,
): Promise<string> {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], signal });
  const chunks: Buffer[] = [];
  let size = 0;
  let pending = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_OUTPUT) proc.kill('SIGKILL');
    chunks.push(chunk);
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      // `word start end posterior` (a hypothesis line is just words).
      const fields = line.trim().split(/\s+/);
      if (fields.length === 4 && fields.slice(1).every((f) => Number.isFinite(Number(f)))) time(Number(fields[2]));
    }
  });
  const [code, sig] = (await Promise.race([once(proc, 'close'), once(proc, 'error').then(([e]) => Promise.reject(e))])) as [
    number | null,
    string | null,
  ];
  if (code !== 0) throw new Error(`${cmd} exited with ${code ?? sig}${size > MAX_OUTPUT ? ' (too much output)' : ''}`);
  return Buffer.concat(chunks).toString('utf8');
}

export function whisperCppEngine(bin: string, model: string): TranscriptionEngine {
  return {
    name: 'whisper.cpp',
    transcribe: (file, o = {}) =>
      withWav16k(file, o.signal, async (wav, dir) => {
        if (!wav) return { language: o.language ?? 'en', words: [] };
        const out = path.join(dir, 'transcript');
        // -ojf: the full JSON, with per-token times and probabilities; -np: no progress chatter.
        const args = ['-m', model, '-f', wav, '-l', o.language ?? 'auto', '-ojf', '-of', out, '-np'];
        await run(bin, args, { signal: o.signal, maxBuffer: MAX_OUTPUT });
        return whisperCppJson(await fs.readFile(`${out}.json`, 'utf8'));
      }),
  };
}

/** whisper.cpp when the deployment configured both its binary and a model, else PocketSphinx. */
export function transcriptionEngine(settings: { WHISPER_CPP_BIN?: string; WHISPER_MODEL?: string } = env): TranscriptionEngine {
  const { WHISPER_CPP_BIN: bin, WHISPER_MODEL: model } = settings;
  return bin && model ? whisperCppEngine(bin, model) : pocketsphinxEngine;
}

/** The first audio track (if any) as 16 kHz mono 16-bit WAV. */
const WAV_16K = '-map 0:a:0? -vn -ac 1 -ar 16000 -c:a pcm_s16le -f wav'.split(' ');

/** Both recognisers read 16 kHz mono 16-bit WAV files; `wav` is null when the file has no audio. */
async function withWav16k<T>(
  file: string,
  signal: AbortSignal | undefined,
  fn: (wav: string | null, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'transcribe-'));
  try {
    const wav = path.join(dir, 'audio.wav');
    const args = ['-nostdin', '-v', 'error', '-i', file, ...WAV_16K, wav];
    const converted = await run('ffmpeg', args, { signal }).then(
      () => true,
      (e: { stderr?: string }) => {
        if (signal?.aborted) throw signal.reason;
        // `-map 0:a:0?` maps nothing when there is no audio stream, and ffmpeg then refuses to run.
        if (/does not contain any stream/.test(e.stderr ?? '')) return false;
        throw e;
      },
    );
    return await fn(converted ? wav : null, dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
