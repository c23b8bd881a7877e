import type { AddressInfo } from 'node:net';
import { migrateStore } from '@sluice/store';
import type { Runtime } from '@sluice/worker-runtime';
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
  const app = await buildApp(
    { db: runtime.db, queues: runtime.queues, redis: runtime.redis, logger: runtime.logger },
    config,
  );
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  runtime.logger.info({ url, dashboard: `${url}/queues` }, 'API listening');
  return { app, url, stop: () => app.close() };
}
