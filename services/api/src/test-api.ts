import { Writable } from 'node:stream';
import type { QueueMap } from '@sluice/contracts';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import { startPostgres, startRedis, type TestServer } from '@sluice/testkit';
import type { RedisClient } from '@sluice/worker-runtime';
import { createProducerConnection, createQueues, waitForRedis } from '@sluice/worker-runtime';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './app';
import { apiEnvSchema } from './config';

/** The real API app on real Redis and PostgreSQL, for tests; `logs` holds every line it logged. */
export interface TestApi {
  app: FastifyInstance;
  redis: RedisClient;
  queues: QueueMap;
  db: Database;
  redisServer: TestServer;
  postgresServer: TestServer;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestApi(
  environment: Record<string, string> = {},
  /** Runs on the built app before it is ready (hooks a page layer would add). */
  prepare?: (app: FastifyInstance) => void,
): Promise<TestApi> {
  const [redisServer, postgresServer] = await Promise.all([startRedis(), startPostgres()]);
  const redis = createProducerConnection(redisServer.url, 'sluice-api-test');
  redis.on('error', () => {});
  await waitForRedis(redis, redisServer.url);
  await redis.flushall();
  const db = await openDatabase({ url: postgresServer.url });
  await migrateStore(db);
  const queues = createQueues(redis);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const config = apiEnvSchema.parse({ HOST: '127.0.0.1', PORT: '0', ...environment });
  const app = await buildApp({ db, queues, redis, logger }, config);
  prepare?.(app);
  await app.ready();
  return {
    app,
    redis,
    queues,
    db,
    redisServer,
    postgresServer,
    logs,
    async close() {
      await app.close();
      await Promise.all(Object.values(queues).map((queue) => queue.close().catch(() => {})));
      redis.disconnect();
      await db.close().catch(() => {});
      await Promise.all([redisServer.stop(), postgresServer.stop()]);
    },
  };
}
