import { defineConfig } from 'vitest/config';

/** The fault suite alone (`npm run test:chaos`): one file, long timeouts, never in `npm test`. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['chaos.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
