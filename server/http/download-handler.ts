// GET /api/v2/download/{video_id}?suffix=… served straight from Node's http server (not a Next.js
// route handler, which drops Content-Length): auth, charge-once, then the file with Content-Type,
// Content-Length, ETag, Last-Modified and single-range support (206/416), HEAD included. Only a
// GET that sends bytes charges; HEAD, 304 and 416 answers never do.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contracts/errors';
import { storage } from '../repositories/storage';
import { authenticateApiKey } from '../services/keys/authenticate-api-key';
import { openDownload } from '../services/videos/open-download';
import { apiKeyFromHeaders } from './api-key-from-headers';
import { errorBody, errorHeaders, statusOf, toAppError } from './errors';

export const DOWNLOAD_PATH = /^\/api\/v2\/download\/([^/?#]+)\/?$/;

/** Parses `bytes=a-b`, `bytes=a-`, `bytes=-n`; null = no usable range (serve all), 'invalid' = 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = header.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

export async function handleDownload(req: IncomingMessage, res: ServerResponse, videoId: string): Promise<void> {
  const requestId = randomUUID();
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed', 'Use GET.');
    const account = await authenticateApiKey(apiKeyFromHeaders((n) => req.headers[n] as string | undefined));
    const suffix = new URL(req.url ?? '/', 'http://x').searchParams.get('suffix') ?? '_reframe';
    const file = await openDownload(account.id, decodeURIComponent(videoId), suffix);

    const headers: Record<string, string | number> = {
      'content-type': file.contentType,
      'accept-ranges': 'bytes',
      etag: file.etag,
      'last-modified': file.lastModified.toUTCString(),
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'private, no-cache',
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const range = ifRange && ifRange !== file.etag ? null : parseRange(req.headers.range, file.size);
    if (range === 'invalid') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${file.size}` }).end();
      return;
    }
    if (req.method === 'GET') await file.charge();
    else await file.assertAffordable();
    if (range) {
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${range.start}-${range.end}/${file.size}`,
        'content-length': range.end - range.start + 1,
      });
    } else {
      res.writeHead(200, { ...headers, 'content-length': file.size });
    }
    if (req.method === 'HEAD' || (!range && file.size === 0)) {
      res.end();
      return;
    }
    await pipeline(storage.createReadStream(file.key, range ?? undefined), res);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const appError = toAppError(error, requestId);
    const status = appError.code === 'method_not_allowed' ? 405 : statusOf(appError.code);
    res
      .writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...errorHeaders(appError) })
      .end(JSON.stringify(errorBody(appError, requestId)));
  }
}
