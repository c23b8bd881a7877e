import type { Queryable } from './database';

export interface EntitySummary {
  id: string;
  type: string;
  name: string;
  documentCount: number;
}

export interface EntityDocument {
  id: string;
  title: string | null;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  storyId: string | null;
  mentions: number;
}

/** Entities whose name resembles `q` (trigram similarity or substring), most documented first. */
export async function findEntities(
  db: Queryable,
  params: { q?: string | null; type?: string | null; limit?: number },
): Promise<EntitySummary[]> {
  const values: unknown[] = [];
  const filters: string[] = [];
  if (params.q?.trim()) {
    values.push(params.q.trim());
    filters.push(`(e.name % $${values.length} OR e.name ILIKE '%' || $${values.length} || '%')`);
  }
  if (params.type) {
    values.push(params.type);
    filters.push(`e.type = $${values.length}`);
  }
  values.push(Math.min(Math.max(params.limit ?? 20, 1), 100));
  const { rows } = await db.query<{ id: string; type: string; name: string; document_count: number }>(
    `SELECT e.id::text AS id, e.type, e.name, (SELECT count(*)::int FROM document_entities de WHERE de.entity_id = e.id) AS document_count
     FROM entities e ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
     ORDER BY document_count DESC, e.name LIMIT $${values.length}`,
    values,
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    name: row.name,
    documentCount: row.document_count,
  }));
}

export async function getEntity(db: Queryable, id: string): Promise<EntitySummary | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [entity] = (
    await db.query<{ id: string; type: string; name: string; document_count: number }>(
      `SELECT e.id::text AS id, e.type, e.name,
         (SELECT count(*)::int FROM document_entities de WHERE de.entity_id = e.id) AS document_count
       FROM entities e WHERE e.id = $1::bigint`,
      [id],
    )
  ).rows;
  return entity
    ? { id: entity.id, type: entity.type, name: entity.name, documentCount: entity.document_count }
    : null;
}

/** Documents about an entity, newest first, duplicates left out. */
export async function entityDocuments(
  db: Queryable,
  id: string,
  params: { limit?: number; offset?: number } = {},
): Promise<EntityDocument[]> {
  if (!/^\d{1,18}$/.test(id)) return [];
  const { rows } = await db.query<{
    id: string;
    title: string | null;
    url: string | null;
    source: string | null;
    published_at: Date | string | null;
    story_id: string | null;
    mentions: number;
  }>(
    `SELECT d.id, d.title, d.url, d.source, d.published_at, d.story_id, de.mentions
     FROM document_entities de JOIN documents d ON d.id = de.document_id
     WHERE de.entity_id = $1::bigint AND d.duplicate_of IS NULL
     ORDER BY d.event_at DESC, d.id LIMIT $2 OFFSET $3`,
    [id, Math.min(Math.max(params.limit ?? 20, 1), 100), Math.max(params.offset ?? 0, 0)],
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    url: row.url,
    source: row.source,
    publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
    storyId: row.story_id,
    mentions: row.mentions,
  }));
}
