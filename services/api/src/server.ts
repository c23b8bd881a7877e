import type { AddressInfo } from 'node:net';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import { type Runtime, readableReason, throttled, waitFor } from '@sluice/worker-runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { type ApiConfig, apiCredentials } from './config';

export interface StartedApi {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Migrates the index, then serves the API on HOST:PORT. */
export async function startApi(runtime: Runtime<ApiConfig>): Promise<StartedApi> {
  const { config } = runtime;
  apiCredentials(config); // fails before anything listens
  if (!runtime.db) throw new Error('the API needs the index database');
  await migrateStore(runtime.db);
  const reads = await openReplica(runtime);
  const app = await buildApp(
    { db: runtime.db, reads, queues: runtime.queues, redis: runtime.redis, logger: runtime.logger },
    config,
  );
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  runtime.logger.info({ url, dashboard: `${url}/queues` }, 'API listening');
  return {
    app,
    url,
    stop: async () => {
      await app.close();
      if (reads) await reads.close().catch(() => {});
    },
  };
}

/**
 * The read replica named by DATABASE_READ_URL, waited for like the primary; undefined without
 * one. It is never migrated: a replica replays the primary's schema.
 */
async function openReplica(runtime: Runtime<ApiConfig>): Promise<Database | undefined> {
  const { config, logger } = runtime;
  if (!config.DATABASE_READ_URL) return undefined;
  if (!config.DATABASE_URL)
    throw new Error('DATABASE_READ_URL needs DATABASE_URL: a replica of the embedded index cannot exist');
  const logConnectionError = throttled(10_000);
  const reads = await openDatabase({
    url: config.DATABASE_READ_URL,
    onConnectionError: (error) =>
      logConnectionError(() =>
        logger.warn({ reason: readableReason(error) }, 'read replica connection error (reads will wait)'),
      ),
  });
  await waitFor('the read replica', () => reads.query('SELECT 1'), {
    timeoutMs: config.STARTUP_TIMEOUT_MS,
    logger,
  });
  logger.info('read-only routes read from DATABASE_READ_URL');
  return reads;
}
