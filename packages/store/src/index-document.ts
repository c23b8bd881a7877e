import type { ExtractedDocument } from '@sluice/contracts';
import { fingerprintKeys } from '@sluice/stories';
import type { Queryable } from './database';
import { documentRow, validTime } from './document-row';
import type { IndexOutcome } from './document-types';
import { entityKey } from './entity-key';
import { findDuplicate } from './find-duplicate';
import { assignStory, storyInputOf, touchStory } from './story-assignment';

/** One lock for the index's read-decide-write step, so concurrent indexers agree on duplicates and stories. */
export const INDEX_LOCK_KEY = 'sluice-index';

interface ExistingRow {
  content_hash: string;
  duplicate_of: string | null;
  duplicate_kind: 'exact' | 'near' | null;
  duplicate_similarity: number | null;
  story_id: string | null;
}

const UPSERT_SQL = `
INSERT INTO documents (
  id, url, canonical_url, source, site_name, title, text, description, byline, authors,
  published_at, modified_at, published_at_source, lang, ts_config, entities, quotes, keywords, summary,
  fingerprints, fetched_at, extracted_at, event_at, body_hash, content_hash, duplicate_of, duplicate_kind,
  duplicate_similarity, story_id, sources, search_vector
) VALUES (
  $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::regconfig, $16, $17, $18, $19,
  $20, $21, $22, $23, $24, $25, $26, $27, $28, $29,
  CASE WHEN $4::text IS NULL THEN '{}'::text[] ELSE ARRAY[$4::text] END,
  setweight(to_tsvector($15::regconfig, coalesce($6, '')), 'A')
    || setweight(to_tsvector($15::regconfig, coalesce($8, '') || ' ' || $30), 'B')
)
ON CONFLICT (id) DO UPDATE SET
  url = excluded.url, canonical_url = excluded.canonical_url, source = excluded.source,
  site_name = excluded.site_name, title = excluded.title, text = excluded.text,
  description = excluded.description, byline = excluded.byline, authors = excluded.authors,
  published_at = excluded.published_at, modified_at = excluded.modified_at,
  published_at_source = excluded.published_at_source, lang = excluded.lang, ts_config = excluded.ts_config,
  entities = excluded.entities, quotes = excluded.quotes, keywords = excluded.keywords,
  summary = excluded.summary, fingerprints = excluded.fingerprints, fetched_at = excluded.fetched_at,
  extracted_at = excluded.extracted_at, event_at = excluded.event_at, body_hash = excluded.body_hash,
  content_hash = excluded.content_hash, duplicate_of = excluded.duplicate_of,
  duplicate_kind = excluded.duplicate_kind, duplicate_similarity = excluded.duplicate_similarity,
  story_id = excluded.story_id, search_vector = excluded.search_vector,
  sources = CASE WHEN excluded.source IS NULL OR excluded.source = ANY(documents.sources) THEN documents.sources
            ELSE array_append(documents.sources, excluded.source) END,
  version = documents.version + 1, updated_at = now()`;

/**
 * Writes one document inside a transaction that holds the index lock: upsert with version
 * history, exact/near-duplicate linking, entities, and story assignment.
 */
export async function indexInTransaction(
  tx: Queryable,
  doc: ExtractedDocument,
  /** Configurations already registered in this database (the caller's cache); saves a round trip. */
  knownConfigs: Set<string> = new Set(),
): Promise<IndexOutcome> {
  const row = documentRow(doc);
  const { rows: existingRows } = await tx.query<ExistingRow>(
    'SELECT content_hash, duplicate_of, duplicate_kind, duplicate_similarity, story_id FROM documents WHERE id = $1',
    [doc.id],
  );
  const existing = existingRows[0];
  if (existing && existing.content_hash === row.contentHash) {
    return {
      id: doc.id,
      action: 'unchanged',
      duplicateOf: existing.duplicate_of,
      duplicateKind: existing.duplicate_kind,
      similarity: existing.duplicate_similarity,
      storyId: existing.story_id,
    };
  }
  if (existing) {
    // Keep the replaced version's text before the update overwrites it.
    await tx.query(
      `INSERT INTO document_versions (document_id, version, title, text, published_at, modified_at, content_hash, indexed_at)
       SELECT id, version, title, text, published_at, modified_at, content_hash, updated_at FROM documents WHERE id = $1
       ON CONFLICT DO NOTHING`,
      [doc.id],
    );
  }

  const duplicate = await findDuplicate(tx, row);
  const time = Date.parse(row.eventAt);
  let storyId: string | null = null;
  if (duplicate) {
    const { rows } = await tx.query<{ story_id: string | null }>(
      'SELECT story_id FROM documents WHERE id = $1',
      [duplicate.originalId],
    );
    storyId = rows[0]?.story_id ?? null;
    if (storyId) await touchStory(tx, storyId, doc.source ?? null, time);
  } else if (existing?.story_id && !existing.duplicate_of) {
    // An updated version stays in its story; re-clustering it would count it twice.
    storyId = existing.story_id;
  } else {
    const assignment = await assignStory(tx, storyInputOf(doc, time));
    storyId = assignment.storyId;
  }

  await tx.query(UPSERT_SQL, [
    doc.id,
    doc.url ?? null,
    doc.canonicalUrl ?? null,
    doc.source ?? null,
    doc.siteName ?? null,
    doc.title ?? null,
    doc.text,
    doc.description ?? null,
    doc.byline ?? null,
    JSON.stringify(doc.authors ?? []),
    validTime(doc.publishedAt),
    validTime(doc.modifiedAt),
    doc.publishedAtSource ?? null,
    doc.lang ?? null,
    row.config,
    JSON.stringify(doc.entities ?? []),
    JSON.stringify(doc.quotes ?? []),
    JSON.stringify(doc.keywords ?? []),
    doc.summary ?? null,
    doc.fingerprints ? JSON.stringify(doc.fingerprints) : null,
    validTime(doc.fetchedAt) ?? row.eventAt,
    validTime(doc.extractedAt) ?? row.eventAt,
    row.eventAt,
    row.bodyHash ?? `id:${doc.id}`,
    row.contentHash,
    duplicate?.originalId ?? null,
    duplicate?.kind ?? null,
    duplicate?.similarity ?? null,
    storyId,
    row.indexedText,
  ]);
  if (!knownConfigs.has(row.config)) {
    await tx.query('INSERT INTO search_configs (config) VALUES ($1::regconfig) ON CONFLICT DO NOTHING', [
      row.config,
    ]);
    knownConfigs.add(row.config);
  }

  // Exact duplicates are merged: their addresses and source belong to the original.
  const owner = duplicate?.kind === 'exact' ? duplicate.originalId : doc.id;
  if (row.urls.length > 0) {
    await tx.query(
      `INSERT INTO document_urls (url, document_id, source) SELECT unnest($1::text[]), $2, $3
       ON CONFLICT (url) DO NOTHING`,
      [row.urls, owner, doc.source ?? null],
    );
  }
  if (duplicate?.kind === 'exact' && doc.source) {
    await tx.query(
      `UPDATE documents SET sources = array_append(sources, $2) WHERE id = $1 AND NOT ($2 = ANY(sources))`,
      [duplicate.originalId, doc.source],
    );
  }

  // A new document has no keys or entity links to clear.
  if (existing) await tx.query('DELETE FROM document_fingerprint_keys WHERE document_id = $1', [doc.id]);
  const keys = duplicate ? [] : fingerprintKeys(doc.fingerprints);
  if (keys.length > 0) {
    await tx.query(
      `INSERT INTO document_fingerprint_keys (key, document_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
      [keys, doc.id],
    );
  }

  await writeEntities(tx, doc, Boolean(existing));
  return {
    id: doc.id,
    action: duplicate ? 'duplicate' : existing ? 'updated' : 'inserted',
    duplicateOf: duplicate?.originalId ?? null,
    duplicateKind: duplicate?.kind ?? null,
    similarity: duplicate?.similarity ?? null,
    storyId,
  };
}

async function writeEntities(tx: Queryable, doc: ExtractedDocument, replacing: boolean) {
  if (replacing) await tx.query('DELETE FROM document_entities WHERE document_id = $1', [doc.id]);
  const byKey = new Map<string, { type: string; name: string; mentions: number }>();
  for (const entity of doc.entities) {
    const key = entityKey(entity.type, entity.name);
    if (key.endsWith(':')) continue;
    const seen = byKey.get(key);
    if (seen) seen.mentions += entity.mentions;
    else byKey.set(key, { type: entity.type, name: entity.name, mentions: entity.mentions });
  }
  if (byKey.size === 0) {
    if (replacing) await tx.query(`UPDATE documents SET entity_ids = '{}' WHERE id = $1`, [doc.id]);
    return;
  }
  const keys = [...byKey.keys()];
  const entities = [...byKey.values()];
  await tx.query(
    `INSERT INTO entities (type, name, key) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (key) DO NOTHING`,
    [entities.map((entity) => entity.type), entities.map((entity) => entity.name), keys],
  );
  // The row's entity ids (for search's entity filter) in the same statement as the links.
  await tx.query(
    `WITH links AS (
       INSERT INTO document_entities (document_id, entity_id, mentions)
       SELECT $1, e.id, m.mentions FROM unnest($2::text[], $3::int[]) AS m(key, mentions) JOIN entities e ON e.key = m.key
       ON CONFLICT (document_id, entity_id) DO UPDATE SET mentions = excluded.mentions RETURNING entity_id)
     UPDATE documents SET entity_ids = ARRAY(SELECT entity_id FROM links ORDER BY entity_id) WHERE id = $1`,
    [doc.id, keys, entities.map((entity) => entity.mentions)],
  );
}
