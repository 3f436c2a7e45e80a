#!/usr/bin/env bash
# `npm test`: sets up what the suite needs, then runs every test — vitest (unit and integration: real
# SQLite, PostgreSQL, ffmpeg, HTTP), Playwright (Debian Chromium) and the lint/format/type check — and
# prints one closing line "N passed, N failed". Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_rc=$?
npx --no-install playwright test
playwright_rc=$?

# Lint, formatting and types count as one more check.
echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0,"numTodoTests":0}' > test-results/lint.json
if npm run --silent lint; then echo '{"numPassedTests":1,"numFailedTests":0,"numPendingTests":0,"numTodoTests":0}' > test-results/lint.json; fi

node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json test-results/lint.json
summary_rc=$?
if ((vitest_rc || playwright_rc || summary_rc)); then exit 1; fi
