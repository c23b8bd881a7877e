import type { Queryable } from './database';
import { exportedDocumentSql } from './export-documents';
import { recountStory } from './story-recount';
import { rebuildStoryProfiles } from './story-repair';

export interface ExpireOptions {
  /** Documents that happened (published, else fetched: `event_at`) before this time go. */
  before: Date;
  /** Documents removed per transaction. */
  batchSize?: number;
  /**
   * Called with each batch's documents as export lines (NDJSON without newlines) before they are
   * removed, inside the batch's transaction: if it throws, nothing of the batch is removed.
   */
  archive?: (lines: string[]) => Promise<void>;
}

export interface ExpireReport {
  documents: number;
  /** Surviving duplicates that became their group's original when the original went. */
  promoted: number;
  /** Stories left empty, removed (with the ids merged into them) and remembered as expired. */
  storiesRemoved: number;
  /** Stories that kept members: counts, span, sources, entities, headline and profile recomputed. */
  storiesRecounted: number;
  /** Entities no remaining document mentions. */
  entitiesRemoved: number;
}

export const emptyExpireReport = (): ExpireReport => ({
  documents: 0,
  promoted: 0,
  storiesRemoved: 0,
  storiesRecounted: 0,
  entitiesRemoved: 0,
});

/**
 * Removes up to `limit` of the oldest documents before `before`, in one transaction (call under
 * the index lock). Everything that pointed at them is mended in the same transaction:
 *
 * - a removed original with surviving duplicates hands over to the earliest indexed of them,
 *   which becomes the original of the rest (so no duplicate is left pointing at nothing);
 * - stories that kept members are recounted from them and their profile rebuilt; stories left
 *   empty are removed with the stories merged into them, and their ids kept in
 *   `expired_stories` so the API answers 410 for them;
 * - versions, addresses, fingerprint keys and entity links go with their document (cascades),
 *   and entities nothing mentions any more are removed.
 *
 * The story scorer's term frequencies are not decremented: they describe the language of the
 * news seen, which the removed documents still were.
 */
export async function expireDocumentsIn(
  tx: Queryable,
  options: ExpireOptions & { limit: number },
): Promise<ExpireReport> {
  const report = emptyExpireReport();
  const { rows: expiring } = await tx.query<{ id: string; story_id: string | null; entity_ids: string[] }>(
    `SELECT id, story_id, entity_ids::text[] AS entity_ids FROM documents WHERE event_at < $1
     ORDER BY event_at, id LIMIT $2 FOR UPDATE`,
    [options.before.toISOString(), options.limit],
  );
  if (expiring.length === 0) return report;
  const ids = expiring.map((row) => row.id);
  if (options.archive) {
    const { rows } = await tx.query<{ line: string }>(
      `SELECT ${exportedDocumentSql} AS line FROM documents d WHERE d.id = ANY($1::text[]) ORDER BY d.event_at, d.id`,
      [ids],
    );
    await options.archive(rows.map((row) => row.line));
  }
  const heirs = await promoteHeirs(tx, ids);
  report.promoted = heirs.length;
  await tx.query('DELETE FROM documents WHERE id = ANY($1::text[])', [ids]);
  report.documents = ids.length;

  const entityIds = [...new Set(expiring.flatMap((row) => row.entity_ids ?? []))];
  if (entityIds.length > 0) {
    const { rows } = await tx.query(
      `DELETE FROM entities e WHERE e.id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM document_entities de WHERE de.entity_id = e.id) RETURNING e.id`,
      [entityIds],
    );
    report.entitiesRemoved = rows.length;
  }

  // A promoted heir counts as an original now, in whatever story it sits.
  const { rows: heirStories } = await tx.query<{ story_id: string }>(
    'SELECT DISTINCT story_id FROM documents WHERE id = ANY($1::text[]) AND story_id IS NOT NULL',
    [heirs],
  );
  const storyIds = [
    ...new Set([
      ...expiring.flatMap((row) => (row.story_id ? [row.story_id] : [])),
      ...heirStories.map((row) => row.story_id),
    ]),
  ];
  const { rows: kept } = await tx.query<{ story_id: string }>(
    'SELECT DISTINCT story_id FROM documents WHERE story_id = ANY($1::text[])',
    [storyIds],
  );
  const keptIds = kept.map((row) => row.story_id);
  const emptied = storyIds.filter((id) => !keptIds.includes(id));
  report.storiesRemoved = await removeStories(tx, emptied);
  await rebuildStoryProfiles(tx, keptIds);
  for (const id of keptIds) await recountStory(tx, id);
  report.storiesRecounted = keptIds.length;
  return report;
}

/**
 * For every removed original with a surviving duplicate: the earliest indexed survivor becomes
 * the original, and the other survivors point to it. Returns the promoted documents' ids.
 */
async function promoteHeirs(tx: Queryable, removed: string[]): Promise<string[]> {
  const { rows: heirs } = await tx.query<{ original: string; heir: string }>(
    `SELECT DISTINCT ON (duplicate_of) duplicate_of AS original, id AS heir FROM documents
     WHERE duplicate_of = ANY($1::text[]) AND NOT id = ANY($1::text[])
     ORDER BY duplicate_of, indexed_at, id`,
    [removed],
  );
  if (heirs.length === 0) return [];
  const pairs = JSON.stringify(heirs);
  await tx.query(
    `UPDATE documents d SET duplicate_of = NULL, duplicate_kind = NULL, duplicate_similarity = NULL
     FROM jsonb_to_recordset($1::jsonb) AS x(original text, heir text) WHERE d.id = x.heir`,
    [pairs],
  );
  await tx.query(
    `UPDATE documents d SET duplicate_of = x.heir
     FROM jsonb_to_recordset($1::jsonb) AS x(original text, heir text)
     WHERE d.duplicate_of = x.original AND d.id <> x.heir AND NOT d.id = ANY($2::text[])`,
    [pairs, removed],
  );
  return heirs.map((row) => row.heir);
}

/** Removes emptied stories and those merged into them; remembers their ids as expired. */
async function removeStories(tx: Queryable, storyIds: string[]): Promise<number> {
  if (storyIds.length === 0) return 0;
  // One statement: the merged-into references are checked at its end, when both rows are gone.
  const { rows } = await tx.query<{ id: string }>(
    'DELETE FROM stories WHERE id = ANY($1::text[]) OR merged_into = ANY($1::text[]) RETURNING id',
    [storyIds],
  );
  const removed = rows.map((row) => row.id);
  await tx.query('DELETE FROM story_history WHERE story_id = ANY($1::text[])', [removed]);
  await tx.query(
    `INSERT INTO expired_stories (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO UPDATE SET expired_at = now()`,
    [removed],
  );
  return storyIds.length;
}

/** When a story id was removed by retention, or null if it never was. */
export async function storyExpiredAt(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ expired_at: Date | string }>(
    'SELECT expired_at FROM expired_stories WHERE id = $1',
    [id],
  );
  return rows[0] ? new Date(rows[0].expired_at).toISOString() : null;
}
