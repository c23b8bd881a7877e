import { migrateStore } from '@sluice/store';
import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { indexDocument } from './index-document';

export const indexerService: ServiceDefinition = {
  name: 'indexer',
  needsDatabase: true,
  onStart: async (runtime) => {
    if (runtime.db) await migrateStore(runtime.db);
  },
  workers: [defineWorker({ queue: 'index', concurrency: 4, handlers: { 'index-document': indexDocument } })],
};
