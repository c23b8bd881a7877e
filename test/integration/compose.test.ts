import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0;
if (!hasCompose)
  console.warn('compose test skipped: docker-compose is not installed (apt-get install docker-compose)');

describe.skipIf(!hasCompose)('docker-compose.yml', () => {
  it('is valid and defines the whole stack with health checks', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    for (const service of ['redis', 'postgres', 'fetcher', 'extractor', 'indexer', 'api']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${service}:`, 'm'));
    }
    expect(result.stdout.match(/healthcheck:/g)?.length).toBeGreaterThanOrEqual(6);
  });
});
