// GET /media/{video_id}/{source|reframe|reframe_path|thumbnail} — the dashboard's players, thumbnails
// and downloads, for the signed-in owner (session cookie), served by Node with Range support so that
// <video> can seek. Never charges: the dashboard charges first (videos.purchase) and adds ?download=1
// for an attachment; an output of an unpaid video is only streamed inline, for the preview player.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contracts/errors';
import { storage, videoKeys } from '../repositories/storage';
import { SESSION_COOKIE } from '../services/accounts/create-session';
import { getSessionAccount } from '../services/accounts/get-session-account';
import { isVideoPaid } from '../services/credits/charge-video';
import { getOwnedVideo } from '../services/videos/get-video';
import { OUTPUTS } from '../services/videos/open-download';
import { readCookie } from '../trpc/session-cookie';
import { parseRange } from './download-handler';
import { errorBody, statusOf, toAppError } from './errors';

export const MEDIA_PATH = /^\/media\/([^/?#]+)\/(source|reframe|reframe_path|thumbnail)\/?$/;

const SOURCE_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
};

async function resolve(accountId: string, videoId: string, what: string) {
  const video = await getOwnedVideo(accountId, videoId);
  if (what === 'thumbnail') return { video, key: videoKeys.thumbnail(video.id), contentType: 'image/jpeg', name: `${video.id}.jpg` };
  if (what === 'source') {
    if (!video.sourceKey) throw new AppError('not_found', 'This video has no stored source yet.');
    const ext = video.sourceKey.split('.').pop() ?? 'mp4';
    return { video, key: video.sourceKey, contentType: SOURCE_TYPES[ext] ?? 'application/octet-stream', name: `${video.id}.${ext}` };
  }
  const output = OUTPUTS[`_${what}`]!;
  const ext = output.file.split('.').pop();
  return { video, key: videoKeys.output(video.id, output.file), contentType: output.contentType, name: `${video.id}_${what}.${ext}` };
}

export async function handleMedia(req: IncomingMessage, res: ServerResponse, videoId: string, what: string): Promise<void> {
  const requestId = randomUUID();
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed', 'Use GET.');
    const account = await getSessionAccount(readCookie(req.headers.cookie ?? null, SESSION_COOKIE));
    if (!account) throw new AppError('unauthorized', 'Sign in to continue.');
    const file = await resolve(account.id, decodeURIComponent(videoId), what);
    const stat = await storage.stat(file.key);
    if (!stat) throw new AppError('not_found', `This video has no ${what} yet.`);
    const wantsDownload = new URL(req.url ?? '/', 'http://x').searchParams.get('download') === '1';
    if (wantsDownload && what !== 'source' && what !== 'thumbnail' && !(await isVideoPaid(file.video.id))) {
      throw new AppError('insufficient_credits', 'Confirm the download on the video page first; it charges the credits once.');
    }
    const etag = `"m-${stat.size.toString(36)}-${stat.modified.getTime().toString(36)}"`;
    const headers: Record<string, string | number> = {
      'content-type': file.contentType,
      'accept-ranges': 'bytes',
      etag,
      'last-modified': stat.modified.toUTCString(),
      'cache-control': 'private, no-cache',
      'content-disposition': `${wantsDownload ? 'attachment' : 'inline'}; filename="${file.name}"`,
    };
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end();
    const range = parseRange(req.headers.range, stat.size);
    if (range === 'invalid') return void res.writeHead(416, { ...headers, 'content-range': `bytes */${stat.size}` }).end();
    if (range) {
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${range.start}-${range.end}/${stat.size}`,
        'content-length': range.end - range.start + 1,
      });
    } else {
      res.writeHead(200, { ...headers, 'content-length': stat.size });
    }
    if (req.method === 'HEAD' || stat.size === 0) return void res.end();
    await pipeline(storage.createReadStream(file.key, range ?? undefined), res);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    const appError = toAppError(error, requestId);
    const status = appError.code === 'method_not_allowed' ? 405 : statusOf(appError.code);
    res
      .writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId })
      .end(JSON.stringify(errorBody(appError, requestId)));
  }
}
