// POST /api/v2/analyze — { video_id, model_type, parameters? } → the queued step.
import { AnalyzeRequest } from '../../../../server/contracts/api';
import { apiRoute, readJson } from '../../../../server/http/api-route';
import { startStep } from '../../../../server/services/videos/start-step';

export const POST = apiRoute(async ({ req, account }) => startStep(account.id, await readJson(req, AnalyzeRequest)), { status: 202 });
