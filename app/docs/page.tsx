// /docs — the API reference, public, rendered from the same OpenAPI document as /api/v2/openapi.json:
// one card per operation with its parameters, request fields, responses and a copy-paste curl
// example on the address the visitor reached us on (and a real API key placeholder).
import type { Metadata } from 'next';
import Link from 'next/link';
import { cookies, headers } from 'next/headers';
import { env } from '../../server/env';
import { openApiDocument } from '../../server/http/openapi';
import { SESSION_COOKIE } from '../../server/services/accounts/create-session';
import { getSessionAccount } from '../../server/services/accounts/get-session-account';
import { buttonClasses } from '../_components/button';
import { CodeBlock } from '../_components/code-block';
import { SectionNav } from '../_components/dashboard-shell';
import { SignOutButton } from '../_components/sign-out-button';
import { SiteFooter } from '../_components/site-footer';
import { SiteHeader } from '../_components/site-header';

export const metadata: Metadata = { title: 'API docs — Reframe' };

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  enum?: unknown[];
  $ref?: string;
  default?: unknown;
  format?: string;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string }>;
};

const METHOD_STYLES: Record<string, string> = {
  get: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950/50 dark:text-emerald-300 dark:ring-emerald-900',
  post: 'bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-950/50 dark:text-indigo-300 dark:ring-indigo-900',
};

const EXAMPLES: Record<string, unknown> = {
  url: 'https://example.com/interview.mp4',
  video_id: 'VIDEO_ID',
  model_type: 'scene_detection',
  transform_type: 'reframe',
  parameters: { aspect_ratio: '9:16' },
  callback_url: 'https://example.com/hooks/reframe',
};

async function publicBaseUrl(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? `localhost:${env.PORT}`;
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}

function resolve(schemas: Record<string, Schema>, schema: Schema | undefined): Schema | undefined {
  if (schema?.$ref) return schemas[schema.$ref.split('/').pop() ?? ''];
  return schema;
}

function curlFor(base: string, method: string, path: string, op: Operation, body: Schema | undefined): string {
  const url = `${base}${path.replace('{video_id}', 'VIDEO_ID').replace('{job_id}', 'JOB_ID').replace('{model_type}', 'scene_detection')}`;
  const query = path.endsWith('/download/{video_id}') ? '?suffix=_reframe' : '';
  const lines = [`curl${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "${url}${query}"`];
  if (op.security?.length !== 0) lines.push('  -H "Authorization: Bearer $REFRAME_API_KEY"');
  if (path.endsWith('/download/{video_id}')) lines.push('  -o reframed.mp4');
  if (body?.properties && method === 'post') {
    const example = Object.fromEntries((body.required ?? Object.keys(body.properties)).map((k) => [k, EXAMPLES[k] ?? 'VALUE']));
    if (path.endsWith('/transform') || path.endsWith('/reframe')) Object.assign(example, { parameters: EXAMPLES.parameters });
    lines.push('  -H "Content-Type: application/json"', `  -d '${JSON.stringify(example)}'`);
  }
  const command = lines.join(' \\\n');
  if (!path.endsWith('/ingest')) return command;
  return `${command}\n\n# or upload a file:\ncurl -X POST "${url}" \\\n  -H "Authorization: Bearer $REFRAME_API_KEY" \\\n  -F file=@interview.mp4`;
}

function Fields({
  title,
  rows,
}: {
  title: string;
  rows: { name: string; type: string; required: boolean; description?: string | undefined }[];
}) {
  if (rows.length === 0) return null;
  return (
    <div className="mt-4">
      <h4 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h4>
      <dl className="mt-2 divide-y divide-zinc-100 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
        {rows.map((r) => (
          <div key={r.name} className="grid gap-1 px-3 py-2 sm:grid-cols-[12rem_1fr]">
            <dt className="font-mono text-[13px]">
              {r.name}
              <span className="ml-2 font-sans text-xs text-zinc-500 dark:text-zinc-400">
                {r.type}
                {r.required ? ' · required' : ''}
              </span>
            </dt>
            <dd className="text-zinc-600 dark:text-zinc-400">{r.description ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export default async function DocsPage() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  const base = await publicBaseUrl();
  const doc = openApiDocument() as unknown as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  const schemas = doc.components.schemas;
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const anchor = (method: string, path: string) => `${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;

  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 dark:bg-zinc-950">
      <SiteHeader>
        {account ? (
          <>
            <span className="hidden max-w-[16rem] truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400" title={account.email}>
              {account.email}
            </span>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/sign-in" className={buttonClasses('ghost', 'sm')}>
              Sign in
            </Link>
            <Link href="/sign-up" className={buttonClasses('primary', 'sm')}>
              Sign up
            </Link>
          </>
        )}
      </SiteHeader>
      {account ? <SectionNav current="docs" /> : null}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-10 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">{doc.info.title}</h1>
        <p className="mt-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{doc.info.description}</p>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Base URL <code className="rounded bg-zinc-200/60 px-1.5 py-0.5 font-mono text-[13px] dark:bg-zinc-800">{base}</code> ·{' '}
          {account ? (
            <Link href="/keys" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              create an API key
            </Link>
          ) : (
            <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              sign up for an API key
            </Link>
          )}{' '}
          and <code className="font-mono text-[13px]">export REFRAME_API_KEY=sk-…</code> ·{' '}
          <a href="/api/v2/openapi.json" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            OpenAPI JSON
          </a>
        </p>

        <div className="mt-8 grid gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
          <nav aria-label="Endpoints" className="lg:sticky lg:top-6 lg:self-start">
            <ul className="space-y-1 text-sm">
              {operations.map(({ path, method }) => (
                <li key={`${method} ${path}`}>
                  <a
                    href={`#${anchor(method, path)}`}
                    className="flex items-center gap-2 rounded px-2 py-1 hover:bg-zinc-200/60 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-zinc-800"
                  >
                    <span className="w-10 shrink-0 text-[11px] font-semibold uppercase text-zinc-500 dark:text-zinc-400">{method}</span>
                    <span className="min-w-0 truncate font-mono text-[12px]">{path.replace('/api/v2', '')}</span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="min-w-0 space-y-6">
            {operations.map(({ path, method, op }) => {
              const body = resolve(schemas, op.requestBody?.content['application/json']?.schema);
              const params = (op.parameters ?? []).map((p) => ({
                name: p.name,
                type: `${p.in}${p.schema?.type ? ` · ${p.schema.type}` : ''}`,
                required: Boolean(p.required),
                description: p.description ?? (p.schema?.enum ? `one of ${p.schema.enum.join(', ')}` : undefined),
              }));
              const fields = Object.entries(body?.properties ?? {}).map(([name, s]) => ({
                name,
                type: s.type ?? 'object',
                required: body?.required?.includes(name) ?? false,
                description: s.description,
              }));
              return (
                <section
                  key={`${method} ${path}`}
                  id={anchor(method, path)}
                  aria-labelledby={`${anchor(method, path)}-h`}
                  className="scroll-mt-6 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
                >
                  <h2 id={`${anchor(method, path)}-h`} className="flex flex-wrap items-center gap-2">
                    <span
                      className={`rounded px-2 py-0.5 text-xs font-semibold uppercase ring-1 ring-inset ${METHOD_STYLES[method] ?? METHOD_STYLES.get}`}
                    >
                      {method}
                    </span>
                    <code className="font-mono text-sm font-semibold">{path}</code>
                  </h2>
                  <p className="mt-2 font-medium">{op.summary}</p>
                  {op.description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{op.description}</p> : null}
                  <Fields title="Parameters" rows={params} />
                  <Fields title="Request body (JSON)" rows={fields} />
                  <div className="mt-4">
                    <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Responses</h3>
                    <ul className="mt-2 flex flex-wrap gap-2 text-xs">
                      {Object.entries(op.responses).map(([code, r]) => (
                        <li key={code} className="rounded-md border border-zinc-200 px-2 py-1 dark:border-zinc-700">
                          <span
                            className={`font-semibold ${code.startsWith('2') ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-800 dark:text-zinc-200'}`}
                          >
                            {code}
                          </span>{' '}
                          <span className="text-zinc-600 dark:text-zinc-400">{r.description}</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                  <div className="mt-4">
                    <CodeBlock title="Example" code={curlFor(base, method, path, op, body)} />
                  </div>
                </section>
              );
            })}
          </div>
        </div>
      </main>
      <SiteFooter />
    </div>
  );
}
