import {
  addToProfile,
  DEFAULT_STORY_SCORING,
  type DocumentFeatures,
  type DocumentFrequencies,
  lookupTerms,
  mergeProfiles,
  profileOf,
  type StoryProfile,
  type StoryScoring,
  scoreStory,
  storyLookupTerms,
  termCounts,
  termVector,
} from '@sluice/stories';
import type { Queryable } from './database';

/** Most candidate stories scored per document (the most recently active first). */
export const MAX_CANDIDATE_STORIES = 100;

export interface StoryInput {
  documentId: string;
  title: string;
  lead: string;
  entities: string[];
  time: number;
  source: string | null;
}

export interface StoryRow {
  id: string;
  centroid: Record<string, number>;
  entity_counts: Record<string, number>;
  document_count: number;
  sources: string[];
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  merged_into?: string | null;
}

export const profileFromRow = (row: StoryRow): StoryProfile => ({
  centroid: new Map(Object.entries(row.centroid)),
  entityCounts: new Map(Object.entries(row.entity_counts)),
  documentCount: row.document_count,
  sources: row.sources,
  firstSeen: new Date(row.first_seen_at).getTime(),
  lastSeen: new Date(row.last_seen_at).getTime(),
});

/**
 * Puts a document in the best-scoring recent story or starts one, with the same scoring as the
 * in-memory `StoryClusterer`. Candidates come from GIN look-ups on story terms and entities in
 * the time window. Call inside the index transaction, under the index lock, so concurrent
 * indexers see each other's stories and never split a group.
 */
export async function assignStory(
  tx: Queryable,
  input: StoryInput,
  scoring: StoryScoring = DEFAULT_STORY_SCORING,
): Promise<{ storyId: string; score: number | null; created: boolean }> {
  const counts = termCounts(input.title, input.lead);
  const frequencies = await countTerms(tx, [...counts.keys()]);
  const features: DocumentFeatures = {
    vector: termVector(counts, frequencies),
    entities: input.entities,
    time: input.time,
    source: input.source,
  };
  const windowMs = scoring.windowHours * 3_600_000;
  const { rows } = await tx.query<StoryRow>(
    `SELECT id, centroid, entity_counts, document_count, sources, first_seen_at, last_seen_at FROM stories
     WHERE merged_into IS NULL AND last_seen_at >= $1 AND first_seen_at <= $2
       AND (terms && $3::text[] OR entity_keys && $4::text[])
     ORDER BY last_seen_at DESC LIMIT $5`,
    [
      new Date(input.time - windowMs).toISOString(),
      new Date(input.time + windowMs).toISOString(),
      lookupTerms(features.vector),
      input.entities,
      MAX_CANDIDATE_STORIES,
    ],
  );
  let best: { row: StoryRow; profile: StoryProfile; score: number } | null = null;
  for (const row of rows) {
    const profile = profileFromRow(row);
    const score = scoreStory(features, profile, scoring);
    if (!best || score > best.score || (score === best.score && row.id < best.row.id)) {
      best = { row, profile, score };
    }
  }
  if (best && best.score >= scoring.threshold) {
    await saveProfile(tx, best.row.id, addToProfile(best.profile, features));
    return { storyId: best.row.id, score: best.score, created: false };
  }
  const profile = profileOf(features);
  await tx.query(
    `INSERT INTO stories (id, headline, headline_document_id, first_seen_at, last_seen_at)
     VALUES ($1, $2, $1, $3, $3) ON CONFLICT (id) DO NOTHING`,
    [input.documentId, input.title || null, new Date(input.time).toISOString()],
  );
  await saveProfile(tx, input.documentId, profile);
  return { storyId: input.documentId, score: null, created: true };
}

/** Records a duplicate's source and time on its original's story, without counting it twice. */
export async function touchStory(tx: Queryable, storyId: string, source: string | null, time: number) {
  await tx.query(
    `UPDATE stories SET last_seen_at = greatest(last_seen_at, $2), first_seen_at = least(first_seen_at, $2),
       sources = CASE WHEN $3::text IS NULL OR $3 = ANY(sources) THEN sources ELSE array_append(sources, $3) END,
       updated_at = now()
     WHERE id = $1`,
    [storyId, new Date(time).toISOString(), source],
  );
}

/** Folds story `fromId` into `intoId`: members move, profiles add up, `fromId` points to `intoId`. */
export async function mergeStoriesIn(tx: Queryable, intoId: string, fromId: string): Promise<boolean> {
  if (intoId === fromId) return false;
  const { rows } = await tx.query<StoryRow>(
    `SELECT id, centroid, entity_counts, document_count, sources, first_seen_at, last_seen_at FROM stories
     WHERE id = ANY($1::text[]) AND merged_into IS NULL FOR UPDATE`,
    [[intoId, fromId]],
  );
  const into = rows.find((row) => row.id === intoId);
  const from = rows.find((row) => row.id === fromId);
  if (!into || !from) return false;
  await saveProfile(tx, intoId, mergeProfiles(profileFromRow(into), profileFromRow(from)));
  await tx.query('UPDATE documents SET story_id = $1 WHERE story_id = $2', [intoId, fromId]);
  await tx.query(
    `UPDATE stories SET merged_into = $1, terms = '{}', entity_keys = '{}', updated_at = now() WHERE id = $2`,
    [intoId, fromId],
  );
  await tx.query('UPDATE stories SET merged_into = $1 WHERE merged_into = $2', [intoId, fromId]);
  return true;
}

async function saveProfile(tx: Queryable, storyId: string, profile: StoryProfile) {
  await tx.query(
    `UPDATE stories SET centroid = $2, terms = $3, entity_counts = $4, entity_keys = $5, document_count = $6,
       sources = $7, first_seen_at = $8, last_seen_at = $9, updated_at = now()
     WHERE id = $1`,
    [
      storyId,
      JSON.stringify(Object.fromEntries(profile.centroid)),
      storyLookupTerms(profile),
      JSON.stringify(Object.fromEntries(profile.entityCounts)),
      [...profile.entityCounts.keys()],
      profile.documentCount,
      profile.sources,
      new Date(profile.firstSeen).toISOString(),
      new Date(profile.lastSeen).toISOString(),
    ],
  );
}

/** Reads the document frequencies of `terms`, then counts this document in. */
async function countTerms(tx: Queryable, terms: string[]): Promise<DocumentFrequencies> {
  // One statement: the CTEs read the counts as they were, then count this document in.
  const { rows } = await tx.query<{ term: string | null; document_count: number | string }>(
    `WITH previous AS (SELECT term, document_count FROM story_term_frequencies WHERE term = ANY($1::text[])),
     -- A data-modifying CTE runs to completion whether or not it is read.
     counted AS (
       INSERT INTO story_term_frequencies (term, document_count) SELECT unnest($1::text[]), 1
       ON CONFLICT (term) DO UPDATE SET document_count = story_term_frequencies.document_count + 1
       RETURNING 1
     ),
     total AS (
       INSERT INTO index_counters (name, value) VALUES ('story_documents', 1)
       ON CONFLICT (name) DO UPDATE SET value = index_counters.value + 1 RETURNING value
     )
     SELECT term, document_count FROM previous
     UNION ALL SELECT NULL, value FROM total`,
    [terms],
  );
  const counter = rows
    .filter((row) => row.term === null)
    .map((row) => ({ value: String(row.document_count) }));
  // Same convention as the in-memory clusterer: the document itself is counted before weighing.
  const known = new Map(
    rows.filter((row) => row.term !== null).map((row) => [row.term!, Number(row.document_count) + 1]),
  );
  const documentCount = Number(counter[0]?.value ?? 1);
  return { documentCount, frequency: (term) => known.get(term) ?? 1 };
}
