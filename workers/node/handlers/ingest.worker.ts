// The `ingest` step: downloads a URL source into storage (uploads are already there), probes it with
// ffprobe, checks that its first and last seconds decode, stores the metadata on the video and a
// thumbnail (videos/{id}/thumbnail.jpg, a frame at about 1 s) for the dashboard.
// Media problems end the step as failed `unsupported_media`; network problems keep their own codes.
import { pipeline, Transform } from 'node:stream';
import { AppError } from '../../../server/contracts/errors';
import { env } from '../../../server/env';
import { IngestPayload } from '../../../server/jobs/steps';
import { parseAllowPrivate } from '../../../server/repositories/address-policy';
import { checkDecodable, extractThumbnail, probeMedia } from '../../../server/repositories/media-probe.repository';
import { videoKeys } from '../../../server/repositories/storage';
import { downloadToStream } from '../../../server/repositories/url-fetch.repository';
import { videosRepository } from '../../../server/repositories/videos.repository';
import { thumbnailTime } from '../../analysis/media-probe';
import { sourceExtension } from '../../../server/services/videos/source-extension';
import type { StepHandler, StepOutcome } from '../step-handler';

const PERMANENT_DOWNLOAD_ERRORS = new Set([
  'url_not_allowed',
  'payload_too_large',
  'url_unreachable',
  'download_timeout',
  'unsupported_media',
]);

export const ingestHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const payload = IngestPayload.parse(step.params);
  let sourceKey = payload.sourceKey;
  if (!sourceKey) {
    if (!payload.url)
      return { status: 'failed', code: 'validation_error', message: 'The ingest step has neither a URL nor an uploaded file.' };
    const downloaded = await download(step.videoId, new URL(payload.url), storage, signal, progress);
    if ('status' in downloaded) return downloaded;
    sourceKey = downloaded.key;
  }
  progress(0.8);

  return storage.withLocalFile(sourceKey, async (file): Promise<StepOutcome> => {
    const probe = await probeMedia(file, signal);
    if (!probe.ok) return { status: 'failed', code: 'unsupported_media', message: probe.reason };
    const decodable = await checkDecodable(file, probe.media, signal);
    if (!decodable.ok) return { status: 'failed', code: 'unsupported_media', message: decodable.reason };
    const m = probe.media;
    await videosRepository.update(step.videoId, {
      sourceKey,
      duration: m.duration,
      fps: m.fps,
      frames: m.frames,
      width: m.width,
      height: m.height,
      videoCodec: m.videoCodec,
      audioCodec: m.audioCodec,
      formatName: m.formatName,
      startTime: m.startTime,
      ...(m.sizeBytes === null ? {} : { sizeBytes: BigInt(m.sizeBytes) }),
    });
    // The list shows a placeholder without it, so a failed extraction does not fail the ingest.
    const thumbnail = await extractThumbnail(file, thumbnailTime(m.duration), signal);
    if (thumbnail) await storage.write(videoKeys.thumbnail(step.videoId), thumbnail);
    return { status: 'completed', resultKey: sourceKey };
  });
};

async function download(
  videoId: string,
  url: URL,
  storage: Parameters<StepHandler>[0]['storage'],
  signal: AbortSignal,
  progress: (f: number) => void,
): Promise<{ key: string } | StepOutcome> {
  try {
    const res = await downloadToStream(url, {
      policy: parseAllowPrivate(env.ALLOW_PRIVATE_URLS),
      maxBytes: env.MAX_UPLOAD_BYTES,
      timeoutMs: env.DOWNLOAD_TIMEOUT_MS,
      signal,
    });
    const key = videoKeys.source(videoId, sourceExtension(res.fileName ?? res.finalUrl.pathname, res.contentType));
    // Progress is counted in a pass-through stage: a 'data' listener on the body itself would start
    // it flowing before storage pipes it, and the first chunks would be lost.
    let seen = 0;
    const total = res.contentLength;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (total) progress(0.8 * ((seen += chunk.length) / total));
        done(null, chunk);
      },
    });
    await storage.writeStream(
      key,
      pipeline(res.body, counter, () => undefined),
      { maxBytes: env.MAX_UPLOAD_BYTES, signal },
    );
    await videosRepository.update(videoId, { sourceKey: key, sourceName: res.fileName });
    return { key };
  } catch (error) {
    if (error instanceof AppError && PERMANENT_DOWNLOAD_ERRORS.has(error.code)) {
      return { status: 'failed', code: error.code, message: error.message };
    }
    throw error;
  }
}
