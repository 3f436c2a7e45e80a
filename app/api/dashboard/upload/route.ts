// POST /api/dashboard/upload — the dashboard's file upload: the same streaming ingest as
// POST /api/v2/ingest, authenticated by the session cookie instead of an API key. The custom header
// cannot be sent cross-site without a CORS preflight, so another site cannot upload as the user.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../../server/contracts/errors';
import { errorResponse, json } from '../../../../server/http/api-route';
import { SESSION_COOKIE } from '../../../../server/services/accounts/create-session';
import { getSessionAccount } from '../../../../server/services/accounts/get-session-account';
import { ingestUpload } from '../../../../server/services/videos/ingest-upload';
import { readCookie } from '../../../../server/trpc/session-cookie';

export async function POST(req: Request): Promise<Response> {
  const requestId = randomUUID();
  try {
    const account = await getSessionAccount(readCookie(req.headers.get('cookie'), SESSION_COOKIE));
    if (!account) throw new AppError('unauthorized', 'Sign in to upload videos.');
    if (req.headers.get('x-reframe-upload') !== '1') throw new AppError('bad_request', 'Upload from the dashboard.');
    if (!(req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
      throw new AppError('unsupported_media_type', 'Send a multipart/form-data upload in the field "file".');
    }
    return json(await ingestUpload(account.id, req.headers, req.body), 202, { 'x-request-id': requestId });
  } catch (error) {
    return errorResponse(error, requestId);
  }
}
