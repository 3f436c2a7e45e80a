// The audio track of a local file as the analyses want it: 16 kHz mono Float32 (channels averaged, as
// ffmpeg's `-ac 1` does), decoded by the browser itself: WebCodecs for MP4/MOV (mp4-audio.ts, ten times
// cheaper), else Web Audio's decodeAudioData (which reads the whole file at once and resamples to the
// context's rate). Fed a File or Blob; returns the samples, empty when the file has no audio the browser decodes.
import { VAD_SAMPLE_RATE } from '../analysis/silero-vad';
import { decodeMp4Audio } from './mp4-audio';

export async function decodeAudio16k(file: Blob): Promise<Float32Array> {
  const mp4 = typeof AudioDecoder === 'undefined' ? null : await decodeMp4Audio(file).catch(() => null);
  if (mp4) return mp4;
  const context = new OfflineAudioContext(1, 1, VAD_SAMPLE_RATE);
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(await file.arrayBuffer());
  } catch {
    return new Float32Array(0);
  }
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i]! += channel[i]! / buffer.numberOfChannels;
  }
  return out;
}
