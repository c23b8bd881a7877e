import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts', 'web/**/*.test.ts', 'k8s/**/*.test.ts'],
    // Each file starts its own servers and workers; on a 2-core machine one at a time is faster.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
