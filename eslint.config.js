// ESLint (flat config): TypeScript rules plus the import directions of ../shared/ARCHITECTURE.md —
// app → server → workers/analysis; workers/node → server + workers/analysis; workers/browser →
// workers/analysis; workers/analysis imports nothing of ours and nothing of Node. For a file matched by
// several blocks the last one wins, so narrower folders come after wider ones.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ours = (...dirs) => dirs.flatMap((d) => [`**/${d}`, `**/${d}/**`]);
const restrict = (files, groups) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      'data/',
      'server/generated/',
      'prisma/.generated/',
      'test-results/',
      'playwright-report/',
      'public/',
      'next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  restrict(
    ['workers/analysis/**'],
    [
      [
        ['node:*', ...ours('server', 'app', 'workers/node', 'workers/browser', 'e2e', 'scripts')],
        'workers/analysis is pure and isomorphic: no Node APIs, nothing of ours outside it.',
      ],
    ],
  ),
  restrict(
    ['workers/browser/**'],
    [[['node:*', ...ours('server', 'app', 'workers/node')], 'workers/browser may import workers/analysis only.']],
  ),
  restrict(['workers/node/**'], [[ours('app', 'workers/browser'), 'workers/node may import server and workers/analysis only.']]),
  restrict(
    ['server/**'],
    [[ours('app', 'workers/node', 'workers/browser', 'scripts'), 'server may import workers/analysis only, never app or the worker.']],
  ),
  restrict(['server/contracts/**'], [[['../*', '!./*'], 'server/contracts is a leaf: it imports nothing of ours.']]),
  restrict(
    ['app/**'],
    [
      [
        [...ours('workers/node', 'prisma', 'server/repositories', 'server/jobs'), '**/server/db', '**/server/generated/**'],
        'app talks to server through services, contracts, http and trpc.',
      ],
    ],
  ),
  restrict(['e2e/**/*.e2e.ts', 'e2e/api/**'], [[ours('server', 'workers', 'app'), 'End-to-end tests use the app over HTTP only.']]),
);
