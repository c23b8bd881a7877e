import { type BaseConfig, baseEnvSchema, loadConfig, type z } from '@sluice/config';
import type { QueueMap, SmallerRetention } from '@sluice/contracts';
import { createLogger, type Logger } from '@sluice/logger';
import { type Database, embeddedIndexDir, openDatabase } from '@sluice/store';
import { readableReason } from './classify-error';
import { closeQueues, createQueues, redactUrl, waitFor, waitForRedis } from './connections';
import { clusterUrl, createRedisClient, type RedisClient } from './redis-client';
import { throttled } from './throttled';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The most `Runtime.close()` takes, even with Redis or the database away. */
export const CLOSE_BUDGET_MS = 1_500;

/** Everything a service's handlers and routes share: configuration, logger, connections. */
export interface Runtime<C extends BaseConfig = BaseConfig> {
  name: string;
  config: C;
  logger: Logger;
  /** A `redis://` URL, or a `redis-cluster://` address built from REDIS_CLUSTER_NODES. */
  redisUrl: string;
  /** Fail-fast connection for enqueueing and reads. */
  redis: RedisClient;
  queues: QueueMap;
  /** The index; null for services that do not need it. */
  db: Database | null;
  close(): Promise<void>;
}

export interface RuntimeOptions<S extends z.ZodObject> {
  name: string;
  /** The service's environment schema (extends baseEnvSchema). */
  env?: S;
  needsDatabase?: boolean;
  /** Overrides for embedding several services in one process (`sluice start`, tests). */
  redisUrl?: string;
  db?: Database | null;
  logger?: Logger;
  environment?: Record<string, string | undefined>;
  /** Keep fewer finished jobs and queue events in Redis (`sluice start`). */
  retention?: SmallerRetention;
}

export async function createRuntime<S extends z.ZodObject = typeof baseEnvSchema>(
  options: RuntimeOptions<S>,
): Promise<Runtime<z.infer<S> & BaseConfig>> {
  const config = loadConfig(options.env ?? baseEnvSchema, options.environment) as z.infer<S> & BaseConfig;
  const logger = options.logger ?? createLogger({ name: options.name, level: config.LOG_LEVEL });
  const redisUrl = options.redisUrl ?? redisAddress(config);
  const redis = createRedisClient(redisUrl, 'producer', `sluice-${options.name}`);
  // An unhandled 'error' event would crash; ioredis retries on its own, so log at most every 10 s.
  // Only the reason: an error's enumerable fields can hold a whole command with a document.
  const logRedisError = throttled(10_000);
  redis.on('error', (error) =>
    logRedisError(() => logger.warn({ reason: readableReason(error) }, 'redis connection error (retrying)')),
  );
  // Started before Redis or the database (a fresh deploy, a host reboot): wait, saying why.
  const wait = { timeoutMs: config.STARTUP_TIMEOUT_MS, logger };
  await waitForRedis(redis, redisUrl, wait);
  const queues = createQueues(redis, logger, options.retention);
  const ownsDb = options.db === undefined && options.needsDatabase === true;
  const db = options.db !== undefined ? options.db : ownsDb ? await openIndex(config, logger) : null;
  if (ownsDb && db) await waitFor('the database', () => db.query('SELECT 1'), wait);
  logger.info({ redis: redactUrl(redisUrl), database: db?.kind ?? 'none' }, 'connected');
  return {
    name: options.name,
    config,
    logger,
    redisUrl,
    redis,
    queues,
    db,
    async close() {
      // Bounded: with Redis or the database away, a polite close could wait for ever.
      // Together at most CLOSE_BUDGET_MS, which shutdown keeps back from SHUTDOWN_TIMEOUT_MS.
      await withDeadline(closeQueues(queues), CLOSE_BUDGET_MS / 3);
      await withDeadline(redis.quit(), CLOSE_BUDGET_MS / 3);
      redis.disconnect();
      if (ownsDb && db) await withDeadline(db.close(), CLOSE_BUDGET_MS / 3);
    },
  };
}

/** REDIS_CLUSTER_NODES (a cluster) wins over REDIS_URL (one server). */
export function redisAddress(config: BaseConfig): string {
  if (config.REDIS_CLUSTER_NODES) return clusterUrl(config.REDIS_CLUSTER_NODES);
  return config.REDIS_URL ?? DEFAULT_REDIS_URL;
}

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite index under SLUICE_DATA_DIR. */
export async function openIndex(config: BaseConfig, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    const logConnectionError = throttled(10_000);
    return openDatabase({
      url: config.DATABASE_URL,
      onConnectionError: (error) =>
        logConnectionError(() =>
          logger.warn({ reason: readableReason(error) }, 'database connection error (jobs will wait)'),
        ),
    });
  }
  const dataDir = embeddedIndexDir(config.SLUICE_DATA_DIR);
  logger.info({ dataDir }, 'no DATABASE_URL: using the embedded PGlite index');
  return openDatabase({ dataDir });
}

/** Waits for `promise` at most `ms`, then goes on; never rejects. */
async function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
