import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@sluice/local-redis';
import { startPostgresContainer, startRedisContainer } from './containers';
import { dockerAnswers } from './docker';
import { findPostgresBinDir, startLocalPostgres } from './local-postgres';
import type { TestServer } from './test-server';

export { dockerAnswers } from './docker';
export { findPostgresBinDir, initPostgresDataDir, postgresServerArgs } from './local-postgres';
export { type PostgresWithReplica, startPostgresWithReplica } from './postgres-replica';
export { type SlowClient, slowClient } from './slow-client';
export type { TestServer } from './test-server';

/**
 * A real Redis for a test, from the first source that works: a container when a Docker engine
 * answers, TEST_REDIS_URL, else a local redis-server on a free port in a temp directory.
 */
export async function startRedis(): Promise<TestServer> {
  if (process.env.TEST_REDIS_URL)
    return { url: process.env.TEST_REDIS_URL, kind: 'env', stop: async () => {} };
  if (await dockerAnswers()) return startRedisContainer();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-redis-'));
  const server = await startRedisServer({ dataDir: dir, appendOnly: false });
  return {
    url: server.url,
    kind: 'local',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real PostgreSQL for a test: container, TEST_DATABASE_URL, or local initdb + postgres. */
export async function startPostgres(): Promise<TestServer> {
  if (process.env.TEST_DATABASE_URL) {
    return { url: process.env.TEST_DATABASE_URL, kind: 'env', stop: async () => {} };
  }
  if (await dockerAnswers()) return startPostgresContainer();
  return startLocalPostgres();
}

/** Why real servers cannot be had here, or null when they can; tests skip with this reason. */
export async function missingServersReason(): Promise<string | null> {
  if (await dockerAnswers()) return null;
  const problems: string[] = [];
  if (!process.env.TEST_REDIS_URL && !(await commandExists('redis-server'))) {
    problems.push('no Docker engine, no TEST_REDIS_URL and no redis-server on PATH');
  }
  if (!process.env.TEST_DATABASE_URL && !findPostgresBinDir()) {
    problems.push('no Docker engine, no TEST_DATABASE_URL and no PostgreSQL binaries');
  }
  return problems.length ? problems.join('; ') : null;
}

async function commandExists(name: string): Promise<boolean> {
  const { spawnSync } = await import('node:child_process');
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
