import { defineConfig } from 'vitest/config';

// Opening PGlite and starting a PostgreSQL server take seconds on a shared machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
