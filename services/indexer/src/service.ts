import { migrateStore } from '@sluice/store';
import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { indexDocument } from './index-document';
import { startWebhookSweep, webhookSettings, webhookWorker } from './webhooks';

/**
 * High concurrency on purpose: the jobs a copy holds at once are written together by the
 * IndexBatcher (one transaction each batch), which is what makes indexing fast.
 */
export const indexerService: ServiceDefinition = {
  name: 'indexer',
  needsDatabase: true,
  onStart: async (runtime) => {
    if (runtime.db) await migrateStore(runtime.db);
    webhookSettings();
    startWebhookSweep(runtime);
  },
  workers: [
    defineWorker({ queue: 'index', concurrency: 32, handlers: { 'index-document': indexDocument } }),
    webhookWorker(),
  ],
};
