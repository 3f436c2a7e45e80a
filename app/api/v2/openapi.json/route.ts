// GET /api/v2/openapi.json — the OpenAPI 3.1 document, built from the same zod contracts. Public.
import { openApiDocument } from '../../../../server/http/openapi';

export const dynamic = 'force-static';

export function GET(): Response {
  return Response.json(openApiDocument());
}
