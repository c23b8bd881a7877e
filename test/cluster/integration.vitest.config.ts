import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The integration suite on a Redis Cluster (`npm run test:integration-cluster`): every file
 * that uses the test stack's Redis gets a fresh 3-master, 3-replica cluster instead of one
 * server (see `startTestRedis` in test/support/stack.ts). Left out: `start.test.ts` and
 * `compose.test.ts`, which run their own single Redis (`sluice start`, Docker compose) and
 * never touch the stack's, so on a cluster they would only repeat `npm test`.
 */
export default defineConfig({
  test: {
    root: join(import.meta.dirname, '..'),
    include: ['integration/**/*.test.ts'],
    exclude: ['integration/start.test.ts', 'integration/compose.test.ts'],
    env: { SLUICE_TEST_REDIS: 'cluster' },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
