// The OpenAPI document: valid 3.1 skeleton, one path per REST route under app/api/v2, schemas
// generated from the zod contracts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

const apiRoot = path.resolve(import.meta.dirname, '../../app/api/v2');
function routePaths(dir: string, prefix = '/api/v2'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isFile()) return e.name === 'route.ts' ? [prefix] : [];
    return routePaths(path.join(dir, e.name), `${prefix}/${e.name.replace(/^\[(.+)\]$/, '{$1}')}`);
  });
}

describe('openApiDocument', () => {
  const doc = openApiDocument();
  it('is OpenAPI 3.1 with both auth schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'apiKey']);
  });
  it('documents every route handler, and the download served by Node', () => {
    const documented = Object.keys(doc.paths);
    for (const p of routePaths(apiRoot)) expect(documented).toContain(p);
    expect(documented).toContain('/api/v2/download/{video_id}');
  });
  it('documents 429 and 503 with Retry-After on every authenticated operation, and 507 on ingest', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown[]; responses: Record<string, unknown> }>)) {
        if (op.security?.length === 0) continue;
        for (const status of ['429', '503']) {
          expect(op.responses[status], `${method} ${p} ${status}`).toMatchObject({
            headers: { 'Retry-After': { schema: { type: 'integer' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RetryLater' } } },
          });
        }
      }
    }
    expect(doc.paths['/api/v2/ingest'].post.responses).toHaveProperty('507');
  });
  it('derives request schemas from the contracts', () => {
    const analyze = doc.components.schemas.AnalyzeRequest as { required: string[]; properties: Record<string, unknown> };
    expect(analyze.required).toEqual(expect.arrayContaining(['video_id', 'model_type']));
    expect(Object.keys(analyze.properties)).toEqual(['video_id', 'model_type', 'parameters']);
  });
});
