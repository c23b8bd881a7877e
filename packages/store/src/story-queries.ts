import { normalizeText } from '@sluice/contracts';
import type { Queryable } from './database';

export interface StorySummary {
  id: string;
  headline: string | null;
  /** When the story was active (members' publication times, else when Sluice first saw them). */
  firstSeenAt: string;
  lastSeenAt: string;
  /**
   * The story's span from its dated documents only: an undated document never stretches it.
   * Null when no member has a publication time.
   */
  publishedSpan: { from: string; to: string } | null;
  /** Members without a publication time (placed on the timeline by when they were first seen). */
  undatedDocuments: number;
  documentCount: number;
  sourceCount: number;
  sources: string[];
  topEntities: { key: string; type: string; name: string; documents: number }[];
}

/** One repair of a story: merged into or absorbing another, a member detached into or split from another. */
export interface StoryHistoryEntry {
  action: 'merged-into' | 'absorbed' | 'detached' | 'split-from';
  otherStoryId: string | null;
  documentId: string | null;
  probability: number | null;
  at: string;
}

export interface StoryDetail extends StorySummary {
  mergedInto: string | null;
  /** The id asked for, when it was merged into this story. */
  resolvedFrom: string | null;
  /** Repairs of this story (and of the stories merged into it), oldest first. */
  history: StoryHistoryEntry[];
  /** Members in time order (duplicates included, flagged). */
  timeline: {
    id: string;
    title: string | null;
    url: string | null;
    source: string | null;
    publishedAt: string | null;
    /** Where the document sits on the timeline: its publication time, else when it was first seen. */
    at: string;
    /** False for an undated document, placed by when Sluice first saw it. */
    dateKnown: boolean;
    atSource: 'published' | 'first-seen';
    duplicateOf: string | null;
  }[];
  entities: { id: string; type: string; name: string; documents: number }[];
}

export interface ListStoriesParams {
  /** Entity id: stories with a member about it. */
  entity?: string | null;
  /** Full-text query: stories with a matching member. */
  q?: string | null;
  /** Only stories active at or after this time. */
  since?: string | null;
  limit?: number;
  offset?: number;
}

interface StoryRow {
  id: string;
  headline: string | null;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  document_count: number;
  sources: string[];
  entity_counts: Record<string, number> | string;
  merged_into?: string | null;
  published_from: Date | string | null;
  published_to: Date | string | null;
  undated_documents: number;
}

/**
 * The published span and undated count of story `s`, from its members' own publication times
 * (a lateral join: one index range per story on `documents (story_id, event_at)`).
 */
const SPAN_JOIN = `LEFT JOIN LATERAL (
    SELECT min(d.published_at) AS published_from, max(d.published_at) AS published_to,
      (count(*) - count(d.published_at))::int AS undated_documents
    FROM documents d WHERE d.story_id = s.id) span ON true`;
const SPAN_COLUMNS =
  'span.published_from, span.published_to, coalesce(span.undated_documents, 0) AS undated_documents';

/**
 * When an undated document was first seen: its first indexing, or the fetch time it came with
 * when that is earlier (a replay of old documents). A re-fetch does not move it.
 */
const FIRST_SEEN = 'least(indexed_at, event_at)';

const iso = (value: Date | string) => new Date(value).toISOString();

function summary(row: StoryRow, names: Map<string, { type: string; name: string }>): StorySummary {
  const counts = typeof row.entity_counts === 'string' ? JSON.parse(row.entity_counts) : row.entity_counts;
  const topEntities = (Object.entries(counts) as [string, number][])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([key, documents]) => ({
      key,
      type: names.get(key)?.type ?? key.split(':')[0]!,
      name: names.get(key)?.name ?? key.slice(key.indexOf(':') + 1),
      documents,
    }));
  return {
    id: row.id,
    headline: row.headline,
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    publishedSpan:
      row.published_from && row.published_to
        ? { from: iso(row.published_from), to: iso(row.published_to) }
        : null,
    undatedDocuments: row.undated_documents ?? 0,
    documentCount: row.document_count,
    sourceCount: row.sources.length,
    sources: row.sources,
    topEntities,
  };
}

async function entityNames(db: Queryable, rows: StoryRow[]) {
  const keys = new Set<string>();
  for (const row of rows) {
    const counts = typeof row.entity_counts === 'string' ? JSON.parse(row.entity_counts) : row.entity_counts;
    for (const key of Object.keys(counts)) keys.add(key);
  }
  if (keys.size === 0) return new Map<string, { type: string; name: string }>();
  const { rows: found } = await db.query<{ key: string; type: string; name: string }>(
    'SELECT key, type, name FROM entities WHERE key = ANY($1::text[])',
    [[...keys]],
  );
  return new Map(found.map((entity) => [entity.key, entity]));
}

/** Recently active stories, most recent first; optionally about an entity or matching a query. */
export async function listStories(db: Queryable, params: ListStoriesParams = {}): Promise<StorySummary[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const filters = ['s.merged_into IS NULL'];
  if (params.since)
    filters.push(`s.last_seen_at >= ${param(new Date(params.since).toISOString())}::timestamptz`);
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new RangeError('entity must be an entity id');
    filters.push(`s.id IN (SELECT d.story_id FROM document_entities de JOIN documents d ON d.id = de.document_id
      WHERE de.entity_id = ${param(params.entity)}::bigint AND d.story_id IS NOT NULL)`);
  }
  if (params.q?.trim()) {
    filters.push(`s.id IN (SELECT d.story_id FROM documents d JOIN search_configs c ON c.config = d.ts_config
      WHERE d.search_vector @@ websearch_to_tsquery(c.config, ${param(normalizeText(params.q).trim())}) AND d.story_id IS NOT NULL)`);
  }
  const limit = Math.min(Math.max(params.limit ?? 20, 1), 100);
  const { rows } = await db.query<StoryRow>(
    `SELECT s.id, s.headline, s.first_seen_at, s.last_seen_at, s.document_count, s.sources, s.entity_counts,
       ${SPAN_COLUMNS}
     FROM stories s ${SPAN_JOIN} WHERE ${filters.join(' AND ')}
     ORDER BY s.last_seen_at DESC, s.document_count DESC, s.id LIMIT ${param(limit)} OFFSET ${param(Math.max(params.offset ?? 0, 0))}`,
    values,
  );
  const names = await entityNames(db, rows);
  return rows.map((row) => summary(row, names));
}

/** A story with its members on a timeline and its entities; follows merges to the surviving story. */
export async function getStory(db: Queryable, id: string): Promise<StoryDetail | null> {
  let storyId = id;
  let row: StoryRow | undefined;
  for (let hops = 0; hops < 10; hops += 1) {
    const { rows } = await db.query<StoryRow>(
      `SELECT s.id, s.headline, s.first_seen_at, s.last_seen_at, s.document_count, s.sources, s.entity_counts,
         s.merged_into, ${SPAN_COLUMNS}
       FROM stories s ${SPAN_JOIN} WHERE s.id = $1`,
      [storyId],
    );
    row = rows[0];
    if (!row?.merged_into) break;
    storyId = row.merged_into;
  }
  if (!row) return null;
  const { rows: members } = await db.query<{
    id: string;
    title: string | null;
    url: string | null;
    source: string | null;
    published_at: Date | string | null;
    timeline_at: Date | string;
    duplicate_of: string | null;
  }>(
    `SELECT id, title, url, source, published_at, duplicate_of,
       CASE WHEN published_at IS NULL THEN ${FIRST_SEEN} ELSE event_at END AS timeline_at
     FROM documents WHERE story_id = $1 ORDER BY timeline_at, id LIMIT 500`,
    [row.id],
  );
  const { rows: entities } = await db.query<{ id: string; type: string; name: string; documents: number }>(
    `SELECT e.id::text AS id, e.type, e.name, count(*)::int AS documents
     FROM documents d JOIN document_entities de ON de.document_id = d.id JOIN entities e ON e.id = de.entity_id
     WHERE d.story_id = $1 AND d.duplicate_of IS NULL GROUP BY e.id ORDER BY count(*) DESC, e.name LIMIT 50`,
    [row.id],
  );
  const { rows: history } = await db.query<{
    action: StoryHistoryEntry['action'];
    other_story_id: string | null;
    document_id: string | null;
    probability: number | null;
    at: Date | string;
  }>(
    `SELECT action, other_story_id, document_id, probability, at FROM story_history
     WHERE story_id = $1 OR story_id IN (SELECT id FROM stories WHERE merged_into = $1) ORDER BY at, id LIMIT 200`,
    [row.id],
  );
  return {
    ...summary(row, await entityNames(db, [row])),
    mergedInto: null,
    resolvedFrom: row.id === id ? null : id,
    history: history.map((entry) => ({
      action: entry.action,
      otherStoryId: entry.other_story_id,
      documentId: entry.document_id,
      probability: entry.probability === null ? null : Number(entry.probability),
      at: iso(entry.at),
    })),
    timeline: members.map((member) => ({
      id: member.id,
      title: member.title,
      url: member.url,
      source: member.source,
      publishedAt: member.published_at ? iso(member.published_at) : null,
      at: iso(member.timeline_at),
      dateKnown: member.published_at !== null,
      atSource: member.published_at !== null ? ('published' as const) : ('first-seen' as const),
      duplicateOf: member.duplicate_of,
    })),
    entities,
  };
}

/** Documents in each of the given (unmerged) stories, duplicates included. */
export async function storyDocumentCounts(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; document_count: number }>(
    'SELECT id, document_count FROM stories WHERE id = ANY($1::text[])',
    [[...new Set(ids)]],
  );
  return new Map(rows.map((row) => [row.id, Number(row.document_count)]));
}

/**
 * Each story's documents (duplicates included) counted in `buckets` equal slices of its span,
 * first to last seen (at least an hour), for activity charts. Counted in the database: a big story's rows stay there.
 */
export async function storyActivity(
  db: Queryable,
  ids: readonly string[],
  buckets = 16,
): Promise<Map<string, number[]>> {
  const activity = new Map<string, number[]>(ids.map((id) => [id, new Array<number>(buckets).fill(0)]));
  if (ids.length === 0) return activity;
  const { rows } = await db.query<{ story_id: string; bucket: number; count: number }>(
    `SELECT d.story_id, least(width_bucket(extract(epoch FROM d.event_at),
         extract(epoch FROM s.first_seen_at),
         greatest(extract(epoch FROM s.last_seen_at) + 1, extract(epoch FROM s.first_seen_at) + 3600), $2::int), $2::int) AS bucket,
       count(*)::int AS count
     FROM stories s JOIN documents d ON d.story_id = s.id
     WHERE s.id = ANY($1::text[]) GROUP BY 1, 2`,
    [[...new Set(ids)], buckets],
  );
  for (const row of rows) {
    const counts = activity.get(row.story_id);
    const index = Math.min(Math.max(Number(row.bucket) - 1, 0), buckets - 1);
    if (counts) counts[index]! += Number(row.count);
  }
  return activity;
}

export interface StoryQuote {
  documentId: string;
  source: string | null;
  text: string;
  speaker: string | null;
}

/** Quotes from a story's original documents (not duplicates), in time order. */
export async function storyQuotes(db: Queryable, storyId: string, limit = 100): Promise<StoryQuote[]> {
  const { rows } = await db.query<{
    id: string;
    source: string | null;
    quotes: { text: string; speaker?: string | null }[] | string;
  }>(
    `SELECT id, source, quotes FROM documents
     WHERE story_id = $1 AND duplicate_of IS NULL AND jsonb_array_length(quotes) > 0 ORDER BY event_at, id LIMIT 500`,
    [storyId],
  );
  return rows
    .flatMap((row) =>
      (typeof row.quotes === 'string' ? JSON.parse(row.quotes) : row.quotes).map(
        (quote: { text: string; speaker?: string | null }) => ({
          documentId: row.id,
          source: row.source,
          text: quote.text,
          speaker: quote.speaker ?? null,
        }),
      ),
    )
    .slice(0, limit);
}
