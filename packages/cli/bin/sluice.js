#!/usr/bin/env node
// The sluice command. It runs the build in dist/ (scripts/build.mjs, run on install), rebuilding
// it first when a source it was built from has changed since; without esbuild (an install
// without dev dependencies) or with SLUICE_CLI_FROM_SOURCE=1 it runs the TypeScript sources
// through tsx, which is slower to start.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = new URL('../', import.meta.url);
const repoRoot = new URL('../../', packageDir);

/** True when dist/ exists and every source it was built from is unchanged. */
function buildIsCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL('dist/inputs.json', packageDir), 'utf8'));
    return inputs.every(([path, mtimeMs]) => statSync(new URL(path, repoRoot)).mtimeMs <= mtimeMs);
  } catch {
    return false;
  }
}

function rebuild() {
  const script = fileURLToPath(new URL('scripts/build.mjs', packageDir));
  const result = spawnSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0 && buildIsCurrent();
}

let main;
if (process.env.SLUICE_CLI_FROM_SOURCE !== '1' && (buildIsCurrent() || rebuild())) {
  ({ main } = await import('../dist/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
