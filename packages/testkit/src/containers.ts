import { freePort } from '@sluice/local-redis';
import { GenericContainer, Wait } from 'testcontainers';
import { applyHostNetworkDefaults, useHostNetwork } from './docker';
import type { TestServer } from './test-server';

export const REDIS_IMAGE = process.env.SLUICE_TEST_REDIS_IMAGE ?? 'redis:7-bookworm';
export const POSTGRES_IMAGE = process.env.SLUICE_TEST_POSTGRES_IMAGE ?? 'postgres:15-bookworm';

export async function startRedisContainer(): Promise<TestServer> {
  if (useHostNetwork()) {
    applyHostNetworkDefaults();
    const port = await freePort();
    const container = await new GenericContainer(REDIS_IMAGE)
      .withNetworkMode('host')
      .withCommand(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', ''])
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start();
    return {
      url: `redis://127.0.0.1:${port}`,
      kind: 'container',
      stop: async () => void (await container.stop()),
    };
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer(REDIS_IMAGE).start();
  return {
    url: container.getConnectionUrl(),
    kind: 'container',
    stop: async () => void (await container.stop()),
  };
}

export async function startPostgresContainer(): Promise<TestServer> {
  if (useHostNetwork()) {
    applyHostNetworkDefaults();
    const port = await freePort();
    const container = await new GenericContainer(POSTGRES_IMAGE)
      .withNetworkMode('host')
      .withEnvironment({ POSTGRES_PASSWORD: 'sluice', POSTGRES_DB: 'sluice', PGPORT: String(port) })
      .withCommand(['postgres', '-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    return {
      url: `postgres://postgres:sluice@127.0.0.1:${port}/sluice`,
      kind: 'container',
      stop: async () => void (await container.stop()),
    };
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
  return {
    url: container.getConnectionUri(),
    kind: 'container',
    stop: async () => void (await container.stop()),
  };
}
