import type { ExtractedDocument } from '@sluice/contracts';
import { type Database, DocumentStore, migrateStore, openDatabase } from '@sluice/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexBatcher } from './index-batcher';

const doc = (n: number, text?: string): ExtractedDocument => ({
  id: n.toString(16).padStart(32, '0'),
  url: `https://batch.example/${n}`,
  title: `Harbour report number ${n}`,
  text:
    text ?? `Report ${n}: the harbour master counted ${n * 7} ships entering port ${n} on a calm morning.`,
  authors: [],
  entities: [],
  quotes: [],
  keywords: [],
  fetchedAt: '2026-11-21T08:00:00Z',
  extractedAt: '2026-11-21T08:00:00Z',
});

describe('IndexBatcher on a real (embedded) PostgreSQL', () => {
  let db: Database;
  let store: DocumentStore;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    store = new DocumentStore(db);
  }, 60_000);
  afterAll(async () => db?.close());

  it('writes concurrent documents in shared batches and gives each its own outcome', async () => {
    const batcher = new IndexBatcher((docs) => store.indexDocuments(docs), { maxBatch: 8, maxWaitMs: 30 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => batcher.index(doc(n + 1))));
    expect(outcomes.map((outcome) => outcome.id)).toEqual(
      Array.from({ length: 20 }, (_, n) => doc(n + 1).id),
    );
    expect(outcomes.every((outcome) => outcome.action === 'inserted')).toBe(true);
    expect(batcher.batchSizes.length).toBeLessThan(20);
    expect(batcher.batchSizes.reduce((sum, size) => sum + size, 0)).toBe(20);
    expect(Math.max(...batcher.batchSizes)).toBeLessThanOrEqual(8);
    expect(await store.countDocuments()).toBe(20);
  });

  it('fails only the document that breaks a batch', async () => {
    let calls = 0;
    const batcher = new IndexBatcher(
      async (docs) => {
        calls++;
        if (docs.some((entry) => entry.title === 'poison')) throw new Error('value too long for the index');
        return store.indexDocuments(docs);
      },
      { maxBatch: 10, maxWaitMs: 20 },
    );
    const results = await Promise.allSettled([
      batcher.index(doc(101)),
      batcher.index({ ...doc(102), title: 'poison' }),
      batcher.index(doc(103)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toBe(4); // the failed batch, then each document alone
  });
});
