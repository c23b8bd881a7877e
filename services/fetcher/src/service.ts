import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { fetchDocument } from './fetch-document';

export { fetcherEnvSchema } from './config';

/** Fetch and clean: I/O-bound, so many jobs at once; cleaning itself is a few ms of CPU. */
export const fetcherService: ServiceDefinition = {
  name: 'fetcher',
  needsDatabase: false,
  workers: [defineWorker({ queue: 'fetch', concurrency: 16, handlers: { 'fetch-document': fetchDocument } })],
};
