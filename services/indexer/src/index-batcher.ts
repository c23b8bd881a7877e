import type { ExtractedDocument } from '@sluice/contracts';
import type { IndexOutcome } from '@sluice/store';

export interface IndexBatcherOptions {
  /** Most documents written in one transaction. */
  maxBatch: number;
  /** How long the first document of a batch waits for others to join it. */
  maxWaitMs: number;
}

type IndexMany = (docs: readonly ExtractedDocument[]) => Promise<IndexOutcome[]>;

interface Pending {
  doc: ExtractedDocument;
  resolve(outcome: IndexOutcome): void;
  reject(error: unknown): void;
}

/**
 * Gathers the documents that concurrent index jobs bring within a few milliseconds and writes
 * them with one `indexDocuments` call: one lock and one commit for many documents, which is
 * where indexing throughput comes from. Each job still gets its own outcome. If a batch fails,
 * its documents are retried one by one, so one bad document fails only its own job.
 */
export class IndexBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Batches written so far and their sizes, for logs and tests. */
  readonly batchSizes: number[] = [];

  constructor(
    private readonly indexMany: IndexMany,
    private readonly options: IndexBatcherOptions = { maxBatch: 50, maxWaitMs: 20 },
    /** Whether a failed batch is worth retrying document by document (not when the database is down). */
    private readonly isolates: (error: unknown) => boolean = () => true,
  ) {}

  index(doc: ExtractedDocument): Promise<IndexOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ doc, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: Pending[]) {
    this.batchSizes.push(batch.length);
    try {
      const outcomes = await this.indexMany(batch.map((entry) => entry.doc));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome) entry.resolve(outcome);
        else entry.reject(new Error(`the index returned no outcome for document ${entry.doc.id}`));
      });
    } catch (error) {
      if (batch.length === 1 || !this.isolates(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      // Isolate the document that broke the batch: the others still go in.
      for (const entry of batch) {
        await this.indexMany([entry.doc]).then(
          ([outcome]) => (outcome ? entry.resolve(outcome) : entry.reject(error)),
          (single) => entry.reject(single),
        );
      }
    }
  }
}
