import { defineWorker, type ServiceDefinition } from '@sluice/worker-runtime';
import { extractDocument } from './extract-document';

/**
 * Extraction is CPU-bound (tens of ms per article at most, far below the 30 s job lock), so
 * it runs inline with low concurrency; scale it by running more copies.
 */
export const extractorService: ServiceDefinition = {
  name: 'extractor',
  needsDatabase: false,
  workers: [
    defineWorker({ queue: 'extract', concurrency: 2, handlers: { 'extract-document': extractDocument } }),
  ],
};
