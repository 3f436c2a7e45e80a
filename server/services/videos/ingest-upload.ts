// Accepts an uploaded file: streams the multipart field `file` straight into storage (never whole in
// memory, 413 past MAX_UPLOAD_BYTES, nothing left behind on failure), then queues the ingest step.
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../../contracts/errors';
import { env } from '../../env';
import { storage, videoKeys } from '../../repositories/storage';
import { createVideo, newVideoId } from './create-video';
import { sourceExtension } from './source-extension';

export async function ingestUpload(accountId: string, headers: Headers, body: ReadableStream<Uint8Array> | null) {
  const declared = Number(headers.get('content-length') ?? NaN);
  if (declared > env.MAX_UPLOAD_BYTES + 64 * 1024) throw tooLarge();
  if (!body) throw new AppError('validation_error', 'Send the video in the multipart field "file".');

  const videoId = newVideoId();
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: Object.fromEntries(headers), limits: { files: 1, fileSize: env.MAX_UPLOAD_BYTES, fields: 20 } });
  } catch {
    throw new AppError('validation_error', 'Expected a multipart/form-data body with the field "file".');
  }
  const stored = new Promise<{ key: string; name: string; bytes: number }>((resolve, reject) => {
    let sawFile = false;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || sawFile) return void stream.resume();
      sawFile = true;
      const key = videoKeys.source(videoId, sourceExtension(info.filename, info.mimeType));
      stream.on('limit', () => stream.destroy(tooLarge()));
      storage
        .writeStream(key, stream, { maxBytes: env.MAX_UPLOAD_BYTES })
        .then((bytes) => resolve({ key, name: info.filename || 'upload', bytes }), reject);
    });
    parser.on('error', () => reject(new AppError('validation_error', 'The multipart body is malformed or was cut off.')));
    parser.on('close', () => {
      if (!sawFile) reject(new AppError('validation_error', 'Send the video in the multipart field "file".'));
    });
  });
  const input = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);

  try {
    const file = await stored;
    if (file.bytes === 0) throw new AppError('unsupported_media', 'The uploaded file is empty.');
    return await createVideo(
      { id: videoId, accountId, sourceType: 'upload', sourceName: file.name, sourceKey: file.key, sizeBytes: file.bytes },
      { sourceKey: file.key },
    );
  } catch (error) {
    input.destroy();
    await storage.deletePrefix(videoKeys.prefix(videoId));
    throw error instanceof AppError ? error : new AppError('upload_failed', 'The upload was interrupted; nothing was stored. Try again.');
  }
}

const tooLarge = () => new AppError('payload_too_large', `The file is larger than the upload limit of ${env.MAX_UPLOAD_BYTES} bytes.`);
