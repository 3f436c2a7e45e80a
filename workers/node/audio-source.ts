// The server's audio front end: ffmpeg decodes a file's first audio stream to 16 kHz mono float32
// PCM, yielded in chunks as it streams (memory does not grow with the file). A file without audio
// yields nothing. Used by VAD, active speaker, transcription and diarization.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface AudioSourceOptions {
  sampleRate?: number;
  signal?: AbortSignal;
  ffmpeg?: string;
}

export async function* decodeAudio(file: string, o: AudioSourceOptions = {}): AsyncGenerator<Float32Array> {
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:a:0?',
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(o.sampleRate ?? 16_000),
    '-f',
    'f32le',
    'pipe:1',
  ];
  const proc = spawn(o.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = once(proc, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const abort = () => proc.kill('SIGKILL');
  o.signal?.addEventListener('abort', abort, { once: true });
  let carry = Buffer.alloc(0);
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const usable = bytes.length - (bytes.length % 4);
      carry = Buffer.from(bytes.subarray(usable));
      if (usable) yield new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + usable));
    }
    const [code, signal] = await exited;
    if (o.signal?.aborted) throw o.signal.reason;
    // `-map 0:a:0?` maps nothing when there is no audio stream, and ffmpeg then refuses to run.
    if (code !== 0 && /does not contain any stream/.test(stderr)) return;
    if (code !== 0) throw new Error(`ffmpeg (audio) exited with ${code ?? signal}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  } finally {
    o.signal?.removeEventListener('abort', abort);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}
