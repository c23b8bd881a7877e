import type { ExtractedDocument } from '@sluice/contracts';
import type { Database } from './database';
import type { IndexOutcome, StoredDocument } from './document-types';
import {
  type ExpireOptions,
  type ExpireReport,
  emptyExpireReport,
  expireDocumentsIn,
} from './expire-documents';
import { indexBatchInTransaction } from './index-batch';
import { INDEX_LOCK_KEY } from './index-document';
import { searchDocuments } from './search-documents';
import type { SearchParams, SearchResult } from './search-types';
import { mergeStoriesIn } from './story-assignment';
import { detachDocumentIn } from './story-detach';
import {
  mergeConvergedStoriesIn,
  type RepairOptions,
  type RepairReport,
  rebuildStoriesIn,
  repairSettings,
  storiesToRepair,
} from './story-repair';

interface DocumentDbRow {
  id: string;
  url: string | null;
  canonical_url: string | null;
  source: string | null;
  site_name: string | null;
  title: string | null;
  text: string;
  description: string | null;
  byline: string | null;
  authors: string[];
  published_at: Date | string | null;
  modified_at: Date | string | null;
  published_at_source: string | null;
  lang: string | null;
  ts_config: string;
  entities: StoredDocument['entities'];
  quotes: StoredDocument['quotes'];
  keywords: string[];
  summary: string | null;
  fingerprints: StoredDocument['fingerprints'];
  fetched_at: Date | string;
  extracted_at: Date | string;
  indexed_at: Date | string;
  updated_at: Date | string;
  version: number;
  duplicate_of: string | null;
  duplicate_kind: 'exact' | 'near' | null;
  story_id: string | null;
  sources: string[];
  urls: string[] | null;
  duplicates: string[] | null;
  versions: {
    version: number;
    title: string | null;
    content_hash: string;
    indexed_at: string;
    replaced_at: string;
  }[];
}

const iso = (value: Date | string | null): string | null =>
  value == null ? null : new Date(value).toISOString();

/** The document index: idempotent, de-duplicating, story-assigning writes and ranked search. */
export class DocumentStore {
  private readonly knownConfigs = new Set<string>();

  constructor(private readonly db: Database) {}

  /** Idempotent: indexing the same document twice leaves one row and reports `unchanged`. */
  async indexDocument(doc: ExtractedDocument): Promise<IndexOutcome> {
    const [outcome] = await this.indexDocuments([doc]);
    return outcome!;
  }

  /** Indexes a batch in one transaction: one lock and one commit for many documents. */
  indexDocuments(docs: readonly ExtractedDocument[]): Promise<IndexOutcome[]> {
    return this.db.transaction((tx) => indexBatchInTransaction(tx, docs, this.knownConfigs), {
      lock: INDEX_LOCK_KEY,
    });
  }

  async getDocument(id: string): Promise<StoredDocument | null> {
    const { rows } = await this.db.query<DocumentDbRow>(
      `SELECT d.*, d.ts_config::text AS ts_config,
         (SELECT array_agg(url ORDER BY first_seen_at, url) FROM document_urls WHERE document_id = d.id) AS urls,
         (SELECT array_agg(id ORDER BY indexed_at) FROM documents WHERE duplicate_of = d.id) AS duplicates,
         (SELECT coalesce(json_agg(json_build_object('version', version, 'title', title, 'content_hash', content_hash,
            'indexed_at', indexed_at, 'replaced_at', replaced_at) ORDER BY version), '[]')
          FROM document_versions WHERE document_id = d.id) AS versions
       FROM documents d WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const versions = typeof row.versions === 'string' ? JSON.parse(row.versions) : row.versions;
    return {
      id: row.id,
      url: row.url,
      canonicalUrl: row.canonical_url,
      source: row.source,
      siteName: row.site_name,
      title: row.title,
      text: row.text,
      description: row.description,
      byline: row.byline,
      authors: row.authors,
      publishedAt: iso(row.published_at),
      modifiedAt: iso(row.modified_at),
      publishedAtSource: row.published_at_source,
      lang: row.lang,
      entities: row.entities,
      quotes: row.quotes,
      keywords: row.keywords,
      summary: row.summary,
      fingerprints: row.fingerprints,
      fetchedAt: iso(row.fetched_at)!,
      extractedAt: iso(row.extracted_at)!,
      indexedAt: iso(row.indexed_at)!,
      updatedAt: iso(row.updated_at)!,
      version: row.version,
      textSearchConfig: row.ts_config,
      duplicateOf: row.duplicate_of,
      duplicateKind: row.duplicate_kind,
      storyId: row.story_id,
      urls: row.urls ?? [],
      sources: row.sources,
      duplicates: row.duplicates ?? [],
      versions: versions.map((version: DocumentDbRow['versions'][number]) => ({
        version: version.version,
        title: version.title,
        contentHash: version.content_hash,
        indexedAt: iso(version.indexed_at)!,
        replacedAt: iso(version.replaced_at)!,
      })),
    };
  }

  search(params: SearchParams): Promise<SearchResult> {
    return searchDocuments(this.db, params);
  }

  async countDocuments(): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM documents');
    return Number(rows[0]?.count ?? 0);
  }

  /**
   * The story repair pass: every listed story rebuilt (misfits detached), then each merged with
   * a story it has converged with. A few stories per transaction under the index lock, so
   * indexing goes on between them: one pass over 500 large stories takes tens of seconds, and
   * indexers must not wait that long. A pass cut short is safe to run again.
   */
  async repairStories(options: Partial<RepairOptions> = {}): Promise<RepairReport> {
    const settings = repairSettings(options);
    const storyIds = await storiesToRepair(this.db, settings);
    const report: RepairReport = { examined: storyIds.length, merged: [], detached: [] };
    const chunks = inChunks(storyIds, REPAIR_STORIES_PER_TRANSACTION);
    for (const chunk of chunks)
      await this.db.transaction((tx) => rebuildStoriesIn(tx, chunk, settings, report), {
        lock: INDEX_LOCK_KEY,
      });
    const merged = new Set<string>();
    for (const chunk of chunks)
      await this.db.transaction((tx) => mergeConvergedStoriesIn(tx, chunk, settings, merged, report), {
        lock: INDEX_LOCK_KEY,
      });
    return report;
  }

  /**
   * The retention pass (see `expireDocumentsIn`): removes every document before `options.before`,
   * one batch per transaction under the index lock, so indexing waits for a batch at a time.
   */
  async expireDocuments(options: ExpireOptions): Promise<ExpireReport> {
    const limit = Math.min(Math.max(Math.trunc(options.batchSize ?? 500), 1), 10_000);
    const total = emptyExpireReport();
    for (;;) {
      const batch = await this.db.transaction((tx) => expireDocumentsIn(tx, { ...options, limit }), {
        lock: INDEX_LOCK_KEY,
      });
      for (const key of Object.keys(total) as (keyof ExpireReport)[]) total[key] += batch[key];
      if (batch.documents < limit) return total;
    }
  }

  /** Folds story `fromId` into `intoId` (two stories found to be one). False if either is gone. */
  mergeStories(intoId: string, fromId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [INDEX_LOCK_KEY]);
      return mergeStoriesIn(tx, intoId, fromId);
    });
  }

  /** Moves a document out of its story into one of its own; the new story's id, or null. */
  detachFromStory(documentId: string): Promise<string | null> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [INDEX_LOCK_KEY]);
      return detachDocumentIn(tx, documentId);
    });
  }
}

/** Stories the repair pass handles per transaction: about a second of work under the lock. */
const REPAIR_STORIES_PER_TRANSACTION = 20;

const inChunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
