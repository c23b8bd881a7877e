import { join } from 'node:path';
import { type BaseConfig, baseEnvSchema, loadConfig, type z } from '@sluice/config';
import type { QueueMap } from '@sluice/contracts';
import { createLogger, type Logger } from '@sluice/logger';
import { type Database, openDatabase } from '@sluice/store';
import type { Redis } from 'ioredis';
import { closeQueues, createProducerConnection, createQueues, redactUrl, waitForRedis } from './connections';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Everything a service's handlers and routes share: configuration, logger, connections. */
export interface Runtime<C extends BaseConfig = BaseConfig> {
  name: string;
  config: C;
  logger: Logger;
  redisUrl: string;
  /** Fail-fast connection for enqueueing and reads. */
  redis: Redis;
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
}

export async function createRuntime<S extends z.ZodObject = typeof baseEnvSchema>(
  options: RuntimeOptions<S>,
): Promise<Runtime<z.infer<S> & BaseConfig>> {
  const config = loadConfig(options.env ?? baseEnvSchema, options.environment) as z.infer<S> & BaseConfig;
  const logger = options.logger ?? createLogger({ name: options.name, level: config.LOG_LEVEL });
  const redisUrl = options.redisUrl ?? config.REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis = createProducerConnection(redisUrl, `sluice-${options.name}`);
  // An unhandled 'error' event would crash; ioredis retries on its own, so log at most every 10 s.
  let lastLogged = 0;
  redis.on('error', (error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn({ err: error }, 'redis connection error (retrying)');
  });
  await waitForRedis(redis, redisUrl);
  const queues = createQueues(redis);
  const ownsDb = options.db === undefined && options.needsDatabase === true;
  const db = options.db !== undefined ? options.db : ownsDb ? await openIndex(config, logger) : null;
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
      await closeQueues(queues);
      await redis.quit().catch(() => redis.disconnect());
      if (ownsDb && db) await db.close();
    },
  };
}

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite index under SLUICE_DATA_DIR. */
export async function openIndex(config: BaseConfig, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) return openDatabase({ url: config.DATABASE_URL });
  const dataDir = join(config.SLUICE_DATA_DIR, 'pglite');
  logger.info({ dataDir }, 'no DATABASE_URL: using the embedded PGlite index');
  return openDatabase({ dataDir });
}
