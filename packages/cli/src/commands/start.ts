import { mkdirSync } from 'node:fs';
import { apiEnvSchema, startApi } from '@sluice/api';
import { loadConfig } from '@sluice/config';
import { extractorService } from '@sluice/extractor';
import { fetcherEnvSchema, fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { createLogger } from '@sluice/logger';
import { migrateStore } from '@sluice/store';
import {
  createRuntime,
  onShutdownSignal,
  openIndex,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { allowDemoFeed, startDemoFeed, subscribeDemoFeedIfNoFeeds } from '../demo-feed';
import { resolveRedis } from '../embedded-stack';
import { forgetRedisUrl, rememberRedisUrl } from '../redis-location';
import type { Command } from './index';

/** Every variable any embedded service reads. */
const startEnvSchema = apiEnvSchema.extend(fetcherEnvSchema.shape);

export const startCommand: Command = {
  name: 'start',
  summary: 'Run everything on this machine: the three workers and the API with its dashboard',
  usage: 'sluice start',
  async run() {
    const demo = await startDemoFeed();
    allowDemoFeed(demo);
    const config = loadConfig(startEnvSchema);
    const logger = createLogger({ name: 'sluice', level: config.LOG_LEVEL });
    mkdirSync(config.SLUICE_DATA_DIR, { recursive: true });
    const redis = await resolveRedis(config.SLUICE_DATA_DIR);
    if (redis.embedded) rememberRedisUrl(config.SLUICE_DATA_DIR, redis.url);
    logger.info({ redis: redis.url, origin: redis.origin }, 'redis');
    const db = await openIndex(config, logger);
    await migrateStore(db);
    const runtime = await createRuntime({
      name: 'sluice',
      env: startEnvSchema,
      redisUrl: redis.url,
      db,
      logger,
    });
    const services: StartedService[] = [];
    for (const service of [fetcherService, extractorService, indexerService]) {
      services.push(await startService(runtime, service));
    }
    const api = await startApi(runtime);
    onShutdownSignal(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
      await api.stop();
      await Promise.all(services.map((service) => service.stop(config.SHUTDOWN_TIMEOUT_MS)));
      await runtime.close();
      await db.close();
      await demo.close();
      if (redis.embedded) {
        await redis.embedded.stop();
        forgetRedisUrl(config.SLUICE_DATA_DIR);
      }
    });
    const { subscribed } = await subscribeDemoFeedIfNoFeeds(db, runtime.queues, demo);
    if (subscribed)
      logger.info(
        { feed: demo.feedUrl },
        'no feeds configured: subscribed to the demo feed of sample articles',
      );
    console.log(
      [
        '',
        'Sluice is running.',
        `  Dashboard:  ${api.url}/queues`,
        `  Search:     ${api.url}/search?q=bridge`,
        `  Feeds:      ${api.url}/feeds   (demo feed: ${demo.feedUrl})`,
        '  CLI:        npx sluice search bridge',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise(() => {}); // runs until a signal stops it
    return 0;
  },
};
