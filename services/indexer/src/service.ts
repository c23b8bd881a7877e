import { migrateStore } from '@sluice/store';
import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { expireDocuments, retentionSettings, scheduleRetention } from './expire-documents';
import { indexDocument } from './index-document';
import { repairStories, scheduleStoryRepair } from './repair-stories';
import { startWebhookSweep, webhookSettings, webhookWorker } from './webhooks';

/**
 * High concurrency on purpose: the jobs a copy holds at once are written together by the
 * IndexBatcher (one transaction each batch), which is what makes indexing fast. The story
 * repair pass and the retention pass run on job schedulers on the same queue.
 */
export const indexerService: ServiceDefinition = {
  name: 'indexer',
  needsDatabase: true,
  onStart: async (runtime) => {
    if (runtime.db) await migrateStore(runtime.db);
    webhookSettings();
    retentionSettings();
    startWebhookSweep(runtime);
    await scheduleStoryRepair(runtime);
    await scheduleRetention(runtime);
  },
  workers: [
    defineWorker({
      queue: 'index',
      concurrency: 32,
      handlers: {
        'index-document': indexDocument,
        'repair-stories': repairStories,
        'expire-documents': expireDocuments,
      },
    }),
    webhookWorker(),
  ],
};
