import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { pollFeed, pollSitemap, syncFeedSchedules } from './feeds/index';
import { fetchDocument } from './fetch-document';

export { type FetcherConfig, fetcherEnvSchema } from './config';

/**
 * Fetch and clean, and follow feeds and sitemaps. Both are I/O-bound, so many jobs run at
 * once; cleaning itself is a few ms of CPU. Feed state lives in the database.
 */
export const fetcherService: ServiceDefinition = {
  name: 'fetcher',
  needsDatabase: true,
  onStart: async (runtime) => {
    await syncFeedSchedules(runtime);
  },
  workers: [
    defineWorker({ queue: 'fetch', concurrency: 16, handlers: { 'fetch-document': fetchDocument } }),
    defineWorker({
      queue: 'feeds',
      concurrency: 8,
      handlers: { 'poll-feed': pollFeed, 'poll-sitemap': pollSitemap },
    }),
  ],
};
