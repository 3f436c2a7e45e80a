// Adds up the JSON reports of vitest and Playwright into the closing line "N passed, N failed".
// A missing report counts as a failure (that runner crashed before writing it).
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.error(`missing test report ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrors ?? 0);
    skipped += report.numPendingTests + report.numTodoTests;
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && !suite.assertionResults?.length) failed += 1; // a file that failed to load
    }
  } else {
    passed += report.stats?.expected ?? 0;
    failed += (report.stats?.unexpected ?? 0) + (report.errors?.length ?? 0);
    skipped += report.stats?.skipped ?? 0;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
