import { mkdirSync } from 'node:fs';
import { apiEnvSchema, startApi } from '@sluice/api';
import { loadConfig } from '@sluice/config';
import { documentIdForUrl, enqueueFetch } from '@sluice/contracts';
import { extractorService } from '@sluice/extractor';
import { fetcherEnvSchema, fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { createLogger } from '@sluice/logger';
import { DocumentStore, migrateStore } from '@sluice/store';
import {
  createRuntime,
  onShutdownSignal,
  openIndex,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { resolveRedis } from '../embedded-stack';
import { forgetRedisUrl, rememberRedisUrl } from '../redis-location';
import { renderSampleHtml, SAMPLE_ARTICLES } from '../samples/index';
import type { Command } from './index';

/** Every variable any embedded service reads. */
const startEnvSchema = apiEnvSchema.extend(fetcherEnvSchema.shape);

export const startCommand: Command = {
  name: 'start',
  summary: 'Run everything on this machine: the three workers and the API with its dashboard',
  usage: 'sluice start',
  async run() {
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
      if (redis.embedded) {
        await redis.embedded.stop();
        forgetRedisUrl(config.SLUICE_DATA_DIR);
      }
    });
    const store = new DocumentStore(db);
    if ((await store.countDocuments()) === 0) {
      for (const article of SAMPLE_ARTICLES) {
        const url = `https://samples.sluice.invalid/${article.slug}`;
        await enqueueFetch(runtime.queues, {
          documentId: documentIdForUrl(url),
          url,
          source: article.source,
          raw: { body: renderSampleHtml(article, { url }), encoding: 'utf8', contentType: 'text/html' },
          enqueuedAt: new Date().toISOString(),
        });
      }
      logger.info({ count: SAMPLE_ARTICLES.length }, 'empty index: ingesting the sample articles');
    }
    console.log(
      [
        '',
        'Sluice is running.',
        `  Dashboard:  ${api.url}/queues`,
        `  Search:     ${api.url}/search?q=bridge`,
        `  CLI:        npx sluice search bridge`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise(() => {}); // runs until a signal stops it
    return 0;
  },
};
