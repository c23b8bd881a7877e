import { defineConfig } from 'vitest/config';

// The Docker job's end-to-end test (npm run test:docker); kept out of the ordinary test run.
export default defineConfig({
  test: {
    include: ['**/*.docker.test.ts'],
    fileParallelism: false,
    testTimeout: 5 * 60_000,
    // Building the four images on a machine without a build cache takes several minutes.
    hookTimeout: 25 * 60_000,
  },
});
