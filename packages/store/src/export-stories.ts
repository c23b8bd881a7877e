import type { Queryable } from './database';
import { type ExportStream, isoTime } from './export-documents';
import { encodeWatermark, exportHorizon, isoSql, microsSql, parseSince } from './export-watermark';
import { SearchParamError } from './search-documents';

export interface ExportStoriesParams {
  /** Stories with a member matching this full-text query. */
  q?: string | null;
  /** Stories with a member about this entity id. */
  entity?: string | null;
  /** Stories a source published in. */
  source?: string | null;
  /** Stories active at or after this time. */
  from?: string | null;
  /** Stories that began before this time. */
  to?: string | null;
  since?: string | null;
  batchSize?: number;
  /** Where to stop, when read from a replica (see `replicaExportHorizon`); else `exportHorizon(db)`. */
  horizon?: string;
}

/**
 * One story as the export and webhooks deliver it. Merged stories are kept (with `mergedInto`)
 * so an incremental reader learns that a story it holds was folded into another.
 */
export const exportedStorySql = `json_build_object(
  'id', s.id, 'headline', s.headline, 'headlineDocumentId', s.headline_document_id,
  'firstSeenAt', ${isoSql('s.first_seen_at')}, 'lastSeenAt', ${isoSql('s.last_seen_at')},
  'documentCount', s.document_count, 'sources', s.sources, 'mergedInto', s.merged_into,
  'documents', coalesce((SELECT array_agg(m.id ORDER BY m.event_at, m.id) FROM documents m WHERE m.story_id = s.id), '{}'),
  'entities', coalesce((SELECT json_agg(json_build_object('id', e.id::text, 'type', e.type, 'name', e.name,
      'documents', c.value::int) ORDER BY c.value::int DESC, e.name)
    FROM jsonb_each_text(s.entity_counts) c JOIN entities e ON e.key = c.key), '[]'),
  'createdAt', ${isoSql('s.created_at')}, 'updatedAt', ${isoSql('s.updated_at')},
  'changedAt', ${microsSql('s.changed_at')})::text`;

/** Every story matching the filters and changed since `since`, like `exportDocuments`. */
export async function exportStories(db: Queryable, params: ExportStoriesParams): Promise<ExportStream> {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (params.source) where.push(`s.sources @> ARRAY[${param(params.source)}::text]`);
  if (params.from) where.push(`s.last_seen_at >= ${param(isoTime(params.from, 'from'))}::timestamptz`);
  if (params.to) where.push(`s.first_seen_at < ${param(isoTime(params.to, 'to'))}::timestamptz`);
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new SearchParamError('entity must be an entity id');
    where.push(`s.id IN (SELECT d.story_id FROM documents d
      WHERE d.entity_ids @> ARRAY[${param(params.entity)}::bigint] AND d.story_id IS NOT NULL)`);
  }
  const q = params.q?.trim();
  if (q) {
    where.push(`s.id IN (SELECT d.story_id FROM documents d JOIN search_configs c ON c.config = d.ts_config
      WHERE d.search_vector @@ websearch_to_tsquery(c.config, ${param(q)}) AND d.story_id IS NOT NULL)`);
  }
  const start = params.since ? parseSince(params.since) : null;
  const horizon = params.horizon ?? (await exportHorizon(db));
  const batchSize = Math.min(Math.max(Math.trunc(params.batchSize ?? 250), 1), 5_000);
  const base = values.length;
  const sql = `SELECT s.id, ${microsSql('s.changed_at')} AS changed_at, ${exportedStorySql} AS line
    FROM stories s
    WHERE ${[...where, `s.changed_at < $${base + 1}::timestamptz`, `(s.changed_at, s.id) > ($${base + 2}::timestamptz, $${base + 3})`].join(' AND ')}
    ORDER BY s.changed_at, s.id LIMIT ${batchSize}`;
  async function* lines() {
    let after = start ?? { changedAt: '-infinity', id: '' };
    for (;;) {
      const { rows } = await db.query<{ id: string; changed_at: string; line: string }>(sql, [
        ...values,
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

/** One story in the export's shape, or null. */
export async function getExportedStory(db: Queryable, id: string): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT ${exportedStorySql} AS line FROM stories s WHERE s.id = $1`,
    [id],
  );
  return rows[0] ? JSON.parse(rows[0].line) : null;
}
