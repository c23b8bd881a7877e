import type { Queryable } from './database';
import { encodeWatermark, exportHorizon, isoSql, microsSql, parseSince } from './export-watermark';
import { primaryLanguage } from './language';
import { SearchParamError } from './search-documents';
import type { SearchParams } from './search-types';

/** Search's filters, plus `since` (a watermark from a previous export, or a time). */
export type ExportDocumentsParams = Pick<
  SearchParams,
  'q' | 'source' | 'lang' | 'from' | 'to' | 'entity' | 'story' | 'includeDuplicates'
> & {
  since?: string | null;
  /** Rows read per statement; memory holds about one batch. */
  batchSize?: number;
  /** Where to stop, when read from a replica (see `replicaExportHorizon`); else `exportHorizon(db)`. */
  horizon?: string;
};

export interface ExportStream {
  /** Pass as `since` next time: the export covers every change before it. */
  nextSince: string;
  /** One JSON object per document (no newline), in change order. Read lazily, batch by batch. */
  lines: AsyncGenerator<string, void, undefined>;
}

const DEFAULT_BATCH = 250;

/**
 * One document as the export and webhooks deliver it: text, metadata, entities, story,
 * duplicates, built as JSON text by PostgreSQL so rows stream out without a parse and re-encode.
 */
export const exportedDocumentSql = `json_build_object(
  'id', d.id, 'url', d.url, 'canonicalUrl', d.canonical_url,
  'urls', coalesce((SELECT array_agg(u.url ORDER BY u.first_seen_at, u.url) FROM document_urls u WHERE u.document_id = d.id), '{}'),
  'source', d.source, 'sources', d.sources, 'siteName', d.site_name,
  'title', d.title, 'description', d.description, 'byline', d.byline, 'authors', d.authors,
  'publishedAt', ${isoSql('d.published_at')}, 'modifiedAt', ${isoSql('d.modified_at')}, 'lang', d.lang,
  'text', d.text, 'summary', d.summary, 'keywords', d.keywords, 'entities', d.entities, 'quotes', d.quotes,
  'story', CASE WHEN d.story_id IS NULL THEN NULL ELSE json_build_object('id', d.story_id,
    'headline', (SELECT s.headline FROM stories s WHERE s.id = d.story_id)) END,
  'duplicateOf', d.duplicate_of, 'duplicateKind', d.duplicate_kind, 'duplicateSimilarity', d.duplicate_similarity,
  'duplicates', coalesce((SELECT array_agg(x.id ORDER BY x.indexed_at, x.id) FROM documents x WHERE x.duplicate_of = d.id), '{}'),
  'version', d.version, 'fetchedAt', ${isoSql('d.fetched_at')}, 'indexedAt', ${isoSql('d.indexed_at')},
  'updatedAt', ${isoSql('d.updated_at')}, 'changedAt', ${microsSql('d.changed_at')})::text`;

interface Filters {
  joins: string;
  where: string[];
  values: unknown[];
}

/** Search's filters as SQL over `documents d`; bad values throw SearchParamError (a 400). */
function documentFilters(params: ExportDocumentsParams): Filters {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  let joins = '';
  if (!params.includeDuplicates) where.push('d.duplicate_of IS NULL');
  if (params.source) where.push(`d.sources @> ARRAY[${param(params.source)}::text]`);
  if (params.lang) {
    const lang = primaryLanguage(params.lang);
    if (!lang) throw new SearchParamError('lang must be an ISO 639-1 code');
    where.push(`lower(split_part(replace(d.lang, '_', '-'), '-', 1)) = ${param(lang)}`);
  }
  if (params.from) where.push(`d.event_at >= ${param(isoTime(params.from, 'from'))}::timestamptz`);
  if (params.to) where.push(`d.event_at < ${param(isoTime(params.to, 'to'))}::timestamptz`);
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new SearchParamError('entity must be an entity id');
    where.push(`d.entity_ids @> ARRAY[${param(params.entity)}::bigint]`);
  }
  if (params.story) where.push(`d.story_id = ${param(params.story)}`);
  const q = params.q?.trim();
  if (q) {
    // Parsed once per text search configuration, matched against documents indexed with it.
    joins = `JOIN (SELECT config, websearch_to_tsquery(config, ${param(q)}) AS query FROM search_configs) q
      ON q.config = d.ts_config`;
    where.push('d.search_vector @@ q.query');
  }
  return { joins, where, values };
}

export function isoTime(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new SearchParamError(`${name} must be a date or ISO 8601 time`);
  return new Date(time).toISOString();
}

/**
 * Every document matching search's filters and changed since `since`, in change order, read in
 * keyset-paginated batches: each statement asks for the rows after the last one sent, so memory
 * holds one batch and a slow reader simply delays the next statement. Stops at the horizon (see
 * `exportHorizon`), which becomes `nextSince`. Parameters are checked before anything is read.
 */
export async function exportDocuments(db: Queryable, params: ExportDocumentsParams): Promise<ExportStream> {
  const filters = documentFilters(params);
  const start = params.since ? parseSince(params.since) : null;
  const horizon = params.horizon ?? (await exportHorizon(db));
  const batchSize = Math.min(Math.max(Math.trunc(params.batchSize ?? DEFAULT_BATCH), 1), 5_000);
  const base = filters.values.length;
  const sql = `SELECT d.id, ${microsSql('d.changed_at')} AS changed_at, ${exportedDocumentSql} AS line
    FROM documents d ${filters.joins}
    WHERE ${[...filters.where, `d.changed_at < $${base + 1}::timestamptz`, `(d.changed_at, d.id) > ($${base + 2}::timestamptz, $${base + 3})`].join(' AND ')}
    ORDER BY d.changed_at, d.id LIMIT ${batchSize}`;
  async function* lines() {
    let after = start ?? { changedAt: '-infinity', id: '' };
    for (;;) {
      const { rows } = await db.query<{ id: string; changed_at: string; line: string }>(sql, [
        ...filters.values,
        horizon,
        after.changedAt,
        after.id,
      ]);
      for (const row of rows) yield row.line;
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) return;
      after = { changedAt: last.changed_at, id: last.id };
    }
  }
  return { nextSince: encodeWatermark({ changedAt: horizon, id: '' }), lines: lines() };
}

/** One document in the export's shape, or null. */
export async function getExportedDocument(
  db: Queryable,
  id: string,
): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT ${exportedDocumentSql} AS line FROM documents d WHERE d.id = $1`,
    [id],
  );
  return rows[0] ? JSON.parse(rows[0].line) : null;
}
