// POST /api/v2/transform — { video_id, transform_type, parameters? } → the queued step.
import { TransformRequest } from '../../../../server/contracts/api';
import { apiRoute, readJson } from '../../../../server/http/api-route';
import { startStep } from '../../../../server/services/videos/start-step';

export const POST = apiRoute(async ({ req, account }) => startStep(account.id, await readJson(req, TransformRequest)), { status: 202 });
