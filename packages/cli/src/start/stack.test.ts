import { extractorService } from '@sluice/extractor';
import { fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { describe, expect, it } from 'vitest';
import { START_CONCURRENCY, withStartConcurrency } from './stack';

const concurrencyOf = (service: typeof indexerService) =>
  Object.fromEntries(service.workers.map((worker) => [worker.queue, worker.concurrency]));

describe('withStartConcurrency', () => {
  it("runs the index queue at sluice start's concurrency and leaves the other stages theirs", () => {
    expect(concurrencyOf(withStartConcurrency(indexerService)).index).toBe(START_CONCURRENCY.index);
    expect(concurrencyOf(indexerService).index).toBeGreaterThan(START_CONCURRENCY.index as number);
    expect(concurrencyOf(withStartConcurrency(fetcherService))).toEqual(concurrencyOf(fetcherService));
    expect(concurrencyOf(withStartConcurrency(extractorService))).toEqual(concurrencyOf(extractorService));
  });
});
