import { apiEnvSchema, startApi } from '@sluice/api';
import { loadConfig, z } from '@sluice/config';
import { extractorService } from '@sluice/extractor';
import { FeedStore, feedMigrations } from '@sluice/feeds';
import { fetcherEnvSchema, fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { createLogger, type Logger } from '@sluice/logger';
import { migrateStore, runMigrations } from '@sluice/store';
import { createRuntime, openIndex, type ServiceDefinition, startService } from '@sluice/worker-runtime';
import { allowDemoFeed, demoFeedWanted, startDemoFeed, subscribeDemoFeedIfNoFeeds } from '../demo-feed';
import { resolveRedis } from '../embedded-stack';
import { assertPortFree } from '../port-check';
import type { Teardown } from '../teardown';

/**
 * Unfinished documents per stage before `sluice start` pushes back on producers. Lower than a
 * deployment's 5,000: here Redis shares one machine's memory with everything else, and 1,000
 * is still most of a minute of work for the pipeline in one process (15–40 documents a second).
 * A full backlog of 5,000 per stage held Redis at up to 50 MB of the 400 MB that issue 15 gives
 * the whole of `sluice start`.
 */
export const START_MAX_BACKLOG = 1_000;

/**
 * Finished jobs and queue events kept in Redis by `sluice start`: 1,000 completed jobs per queue
 * (an index job holds its whole extracted document, ~5 KB; an extract job its cleaned text) and
 * BullMQ's ~10,000 events per queue were 14 of Redis's 21 MB of data in bench:memory.
 */
export const START_RETENTION = { completedJobs: 100, events: 1_000 };

/**
 * Jobs run at once per queue in `sluice start`, where a deployment's copies run more. The
 * indexer's 32 suit a copy on its own PostgreSQL connection; in one process with the embedded
 * index, every stage shares one thread and one database connection. bench:memory, 20,000
 * documents: with the indexer at 4 node's RSS was 350–385 MB at 33.9 documents a second, at 32
 * 366–391 MB at 29.8. The fetcher keeps its 16 (pages on the network; at 4 the pipeline ran
 * faster and node's RSS rose with it), the extractor its 2. WORKER_CONCURRENCY still sets every
 * queue when given.
 */
export const START_CONCURRENCY: Partial<Record<string, number>> = { index: 4, webhooks: 4 };

/** A service's definition with `sluice start`'s concurrency per queue where it names one. */
export function withStartConcurrency(service: ServiceDefinition): ServiceDefinition {
  return {
    ...service,
    workers: service.workers.map((worker) => ({
      ...worker,
      concurrency: START_CONCURRENCY[worker.queue] ?? worker.concurrency,
    })),
  };
}

/** Every variable any embedded service reads, and the demo feed's switch. */
export const startEnvSchema = apiEnvSchema.extend(fetcherEnvSchema.shape).extend({
  SLUICE_DEMO_FEED: z.enum(['auto', 'on', 'off']).default('auto'),
  SLUICE_MAX_BACKLOG: z.coerce.number().int().min(0).default(START_MAX_BACKLOG),
});

export type StartConfig = z.infer<typeof startEnvSchema>;

export const loadStartConfig = () => loadConfig(startEnvSchema);
export const startLogger = (config: StartConfig) => createLogger({ name: 'sluice', level: config.LOG_LEVEL });

/** Redis, the index, the demo feed if wanted, the three workers and the API, each added to `teardown`. */
export async function startEverything(config: StartConfig, logger: Logger, teardown: Teardown) {
  const dataDir = config.SLUICE_DATA_DIR;
  await assertPortFree(config.HOST, config.PORT);
  const redis = await resolveRedis(dataDir);
  if (redis.embedded) {
    teardown.add('redis-server', () => redis.embedded?.stop());
  }
  logger.info({ redis: redis.url, origin: redis.origin }, 'redis');
  const db = await openIndex(config, logger);
  teardown.add('index', () => db.close());
  await migrateStore(db);
  await runMigrations(db, 'feeds', feedMigrations);
  const feeds = await new FeedStore(db).listFeeds();
  const wantDemo = demoFeedWanted({
    setting: config.SLUICE_DEMO_FEED,
    opmlFile: config.SLUICE_FEEDS_OPML,
    feedTitles: feeds.map((feed) => feed.title),
  });
  const demo = wantDemo ? await startDemoFeed() : null;
  if (demo) {
    teardown.add('demo feed', () => demo.close());
    allowDemoFeed(demo); // before the runtime reads the fetch policy
  }
  const runtime = await createRuntime({
    name: 'sluice',
    env: startEnvSchema,
    redisUrl: redis.url,
    db,
    logger,
    retention: START_RETENTION,
  });
  teardown.add('connections', () => runtime.close());
  for (const service of [fetcherService, extractorService, indexerService]) {
    const started = await startService(runtime, withStartConcurrency(service));
    teardown.add(service.name, () => started.stop(config.SHUTDOWN_TIMEOUT_MS));
  }
  const api = await startApi(runtime);
  teardown.add('api', () => api.stop());
  if (demo) {
    const { subscribed } = await subscribeDemoFeedIfNoFeeds(db, runtime.queues, demo);
    if (subscribed)
      logger.info(
        { feed: demo.feedUrl },
        'no feeds configured: subscribed to the demo feed of sample articles',
      );
  }
  return { api: api.url, demoFeed: demo?.feedUrl ?? null };
}
