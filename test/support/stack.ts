import { apiEnvSchema, type StartedApi, startApi } from '@sluice/api';
import { extractorService } from '@sluice/extractor';
import { fetcherEnvSchema, fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { createLogger } from '@sluice/logger';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import { startPostgres, startRedis, type TestServer } from '@sluice/testkit';
import {
  clusterUrl,
  createRuntime,
  type Runtime,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { Redis } from 'ioredis';
import { startTestCluster } from '../cluster/cluster';

export const stackEnvSchema = apiEnvSchema.extend(fetcherEnvSchema.shape);

export interface Servers {
  redis: TestServer;
  postgres: TestServer;
  /** How a service process started by a test reaches this Redis: REDIS_URL, or REDIS_CLUSTER_NODES. */
  redisEnvironment: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * `SLUICE_TEST_REDIS=cluster` runs the integration suite on a Redis Cluster (3 masters, 3
 * replicas from redis-server on loopback, as test/cluster starts it) instead of one Redis.
 */
export const onRedisCluster = process.env.SLUICE_TEST_REDIS === 'cluster';

/** A fresh Redis for a test file: one server, emptied, or a new cluster when `onRedisCluster`. */
export async function startTestRedis(): Promise<{ server: TestServer; environment: Record<string, string> }> {
  if (!onRedisCluster) {
    const server = await startRedis();
    const client = new Redis(server.url);
    client.on('error', () => {}); // flushall below fails loudly if Redis is not there
    await client.flushall();
    client.disconnect();
    return { server, environment: { REDIS_URL: server.url } };
  }
  const cluster = await startTestCluster();
  // Asked for by name: a cluster that cannot start fails the run rather than passing on one server.
  if ('skipped' in cluster) throw new Error(`SLUICE_TEST_REDIS=cluster, but no cluster: ${cluster.skipped}`);
  return {
    server: { url: clusterUrl(cluster.nodes), kind: 'local', stop: () => cluster.stop() },
    environment: { REDIS_CLUSTER_NODES: cluster.nodes },
  };
}

/** Real Redis and PostgreSQL for a test file, emptied so earlier runs leave nothing behind. */
export async function startServers(): Promise<Servers> {
  const [redis, postgres] = await Promise.all([startTestRedis(), startPostgres()]);
  console.log(
    `integration servers: redis (${onRedisCluster ? 'cluster' : redis.server.kind}) ${redis.server.url}, postgres (${postgres.kind})`,
  );
  return {
    redis: redis.server,
    postgres,
    redisEnvironment: redis.environment,
    stop: async () => {
      await Promise.all([redis.server.stop(), postgres.stop()]);
    },
  };
}

export interface Stack {
  servers: Servers;
  db: Database;
  runtime: Runtime;
  services: StartedService[];
  api: StartedApi;
  /** Stops the workers only (the API and connections stay), as a crash or deploy would. */
  stop(): Promise<void>;
}

/** The whole pipeline in this process: three workers and the API on real servers. */
export async function startStack(servers: Servers, environment: Record<string, string> = {}): Promise<Stack> {
  const db = await openDatabase({ url: servers.postgres.url });
  await migrateStore(db);
  const runtime = await createRuntime({
    name: 'test',
    env: stackEnvSchema,
    redisUrl: servers.redis.url,
    db,
    logger: createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    environment: { HOST: '127.0.0.1', PORT: '0', ...environment },
  });
  const services: StartedService[] = [];
  for (const service of [fetcherService, extractorService, indexerService]) {
    services.push(await startService(runtime, service));
  }
  const api = await startApi(runtime);
  return {
    servers,
    db,
    runtime,
    services,
    api,
    async stop() {
      await api.stop();
      await Promise.all(services.map((service) => service.stop(5_000)));
      await runtime.close();
      await db.close();
    },
  };
}

export interface DocumentView {
  id: string;
  status: string;
  failedReason: string | null;
  skippedReason?: string | null;
  /** Each stage's job page in Bull Board, by queue. */
  dashboard?: Record<string, string>;
  document: (Record<string, unknown> & { title?: string; text?: string }) | null;
}

export async function getDocument(apiUrl: string, id: string): Promise<DocumentView | null> {
  const response = await fetch(`${apiUrl}/documents/${id}`);
  if (response.status === 404) return null;
  return (await response.json()) as DocumentView;
}

/** Polls until every document is indexed or failed; returns their final views. */
export async function waitForDocuments(
  apiUrl: string,
  ids: string[],
  timeoutMs = 60_000,
): Promise<DocumentView[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, DocumentView>();
  while (Date.now() < deadline && done.size < ids.length) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const view = await getDocument(apiUrl, id);
      if (view && ['indexed', 'failed', 'skipped'].includes(view.status)) done.set(id, view);
    }
    if (done.size < ids.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const missing = ids.filter((id) => !done.has(id));
  if (missing.length)
    throw new Error(`${missing.length} documents neither indexed nor failed in ${timeoutMs} ms`);
  return ids.map((id) => done.get(id) as DocumentView);
}

export async function postDocument(
  apiUrl: string,
  body: Record<string, unknown>,
  credentials?: { user: string; password: string },
): Promise<string> {
  const authorization: Record<string, string> = credentials
    ? {
        authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
      }
    : {};
  const response = await fetch(`${apiUrl}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization },
    body: JSON.stringify(body),
  });
  if (response.status !== 202)
    throw new Error(`POST /documents: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
