import { defineConfig } from 'vitest/config';

/**
 * The Redis Cluster suite alone (`npm run test:cluster`): it starts six redis-servers and runs the
 * workers through failovers, so it runs beside `npm test` in CI rather than inside it.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
