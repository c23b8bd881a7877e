import { defineConfig } from 'vitest/config';

// Starting Redis and opening PGlite take seconds on a shared machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 120_000 } });
