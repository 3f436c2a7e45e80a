// Silero VAD v5 on the server: speech probability every 32 ms of audio, with onnxruntime-node (the
// model built into public/models/). Framing and region logic are the shared pure code. Takes a file
// (streamed, for VAD alone), or the samples or chunks an analysis decodes anyway (so audio is decoded once).
import * as ort from 'onnxruntime-node';
import { VAD_SAMPLE_RATE, VadFramer } from '../analysis/silero-vad';
import { decodeAudio } from './audio-source';
import { loadModel } from './onnx-models';

/** Probabilities (one per 512-sample frame) of 16 kHz mono audio; empty when there is no audio. */
export async function vadProbabilities(
  source: string | Float32Array | AsyncIterable<Float32Array>,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const session = await loadModel('silero_vad_v5');
  const framer = new VadFramer();
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const out: number[] = [];
  const run = async (input: Float32Array) => {
    const r = await session.run({ input: new ort.Tensor('float32', input, [1, input.length]), state, sr });
    state = r.stateN as ort.Tensor;
    out.push((r.output!.data as Float32Array)[0]!);
  };
  const chunks = typeof source === 'string' ? decodeAudio(source, { signal }) : source instanceof Float32Array ? [source] : source;
  for await (const chunk of chunks) for (const f of framer.push(chunk)) await run(f);
  for (const f of framer.flush()) await run(f);
  return Float32Array.from(out);
}
