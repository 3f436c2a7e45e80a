// POST /api/v2/ingest — JSON { url } or multipart/form-data with the field `file` → { video_id }.
import { IngestUrlRequest } from '../../../../server/contracts/api';
import { AppError } from '../../../../server/contracts/errors';
import { apiRoute, readJson } from '../../../../server/http/api-route';
import { ingestUpload } from '../../../../server/services/videos/ingest-upload';
import { ingestUrl } from '../../../../server/services/videos/ingest-url';

export const POST = apiRoute(
  async ({ req, account }) => {
    const type = req.headers.get('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) return ingestUpload(account.id, req.headers, req.body);
    if (type.startsWith('application/json')) return ingestUrl(account.id, (await readJson(req, IngestUrlRequest)).url);
    throw new AppError('unsupported_media_type', 'Send JSON { "url": "…" } or a multipart/form-data upload in the field "file".');
  },
  { status: 202 },
);
