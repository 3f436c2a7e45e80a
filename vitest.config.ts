// Vitest: unit tests (`*.test.ts`, beside the code) and integration tests (`*.int.test.ts`: real
// SQLite/PostgreSQL/ffmpeg/HTTP). Playwright's `*.e2e.ts` files are not vitest's.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'data/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  },
});
