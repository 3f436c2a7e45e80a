// The audio track of a local file as the analyses want it: 16 kHz mono Float32 (channels averaged, as
// ffmpeg's `-ac 1` does), decoded by the browser itself (decodeAudioData resamples to the context's
// rate). Fed a File or Blob; returns the samples, empty when the file has no audio the browser decodes.
import { VAD_SAMPLE_RATE } from '../analysis/silero-vad';

export async function decodeAudio16k(file: Blob): Promise<Float32Array> {
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
