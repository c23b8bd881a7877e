// Adds up the JSON results every vitest run wrote (see each workspace's `test` script) and
// prints one closing line: "tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'services'].flatMap((dir) =>
  existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [],
);
roots.push('test', 'test/chaos', 'test/cluster');
const resultFiles = roots.map((root) => join(root, '.vitest-results.json'));
// The integration suite's second run, on a Redis Cluster (npm run test:integration-cluster).
resultFiles.push('test/cluster/.vitest-integration-results.json');

// `--clean` before a run: results left by an earlier run must not be counted.
if (process.argv.includes('--clean')) {
  for (const file of resultFiles) rmSync(file, { force: true });
  process.exit(0);
}
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const file of resultFiles) {
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  files += 1;
  passed += result.numPassedTests ?? 0;
  failed += result.numFailedTests ?? 0;
  skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
}
if (files === 0) {
  console.error('tests: no vitest results found');
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
