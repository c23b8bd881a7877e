import { findUnstorableText, type IndexJob } from '@sluice/contracts';
import { type Database, DocumentStore } from '@sluice/store';
import { isDependencyError, type JobContext } from '@sluice/worker-runtime';
import { type Job, UnrecoverableError } from 'bullmq';
import { IndexBatcher } from './index-batcher';
import { emitWebhookEvents } from './webhooks';

/** One batcher per database: the index jobs this process runs at once share its transactions. */
const batchers = new WeakMap<Database, IndexBatcher>();

function batcherFor(db: Database): IndexBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    const store = new DocumentStore(db);
    // With the database away every document would fail alike: no point trying them one by one.
    batcher = new IndexBatcher(
      (docs) => store.indexDocuments(docs),
      undefined,
      (error) => !isDependencyError(error),
    );
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * The index stage: an idempotent upsert with de-duplication and story assignment in
 * PostgreSQL, written in small batches with the other index jobs running at the same moment.
 */
export async function indexDocument(job: Job<IndexJob>, context: JobContext) {
  if (!context.db) throw new Error('the indexer needs a database');
  // PostgreSQL refuses NUL characters and lone surrogates: retrying cannot help, say so at once.
  const unstorable = findUnstorableText(job.data.document);
  if (unstorable) throw new UnrecoverableError(`the index cannot store this document: ${unstorable}`);
  const outcome = await batcherFor(context.db).index(job.data.document);
  await emitWebhookEvents(context, outcome);
  context.log.info({ action: outcome.action, storyId: outcome.storyId ?? null }, 'indexed');
  return { ...outcome, title: job.data.document.title ?? null };
}
