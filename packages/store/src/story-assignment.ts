import type { ExtractedDocument } from '@sluice/contracts';
import {
  addToProfile,
  chooseStory,
  DEFAULT_STORY_MODEL,
  type DocumentFeatures,
  type DocumentFrequencies,
  documentFeatures,
  documentWeekKeys,
  emptyFieldVectors,
  entityKeys,
  entityKeysFromStrings,
  fieldTermCounts,
  frequencyKeys,
  fullNames,
  type HeadlineCandidate,
  headlineScore,
  mergeProfiles,
  modelFor,
  type NamedEntity,
  nameWords,
  profileFromStored,
  profileOf,
  profileSources,
  type StoredProfile,
  type StoryModel,
  type StoryProfile,
  splitArticle,
  storedProfile,
  storyLookupTerms,
  storyWeekKeys,
} from '@sluice/stories';
import type { Queryable } from './database';

export interface StoryInput {
  documentId: string;
  title: string;
  lead: string;
  body: string;
  entities: readonly NamedEntity[];
  time: number;
  source: string | null;
}

export interface StoryRow {
  id: string;
  profile: StoredProfile | string | null;
  headline?: string | null;
  headline_document_id?: string | null;
  headline_vector?: Record<string, number> | string | null;
  entity_counts: Record<string, number> | string;
  document_count: number;
  sources: string[];
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  merged_into?: string | null;
}

/** The columns a story row is read with. */
export const STORY_COLUMNS = `id, profile, headline, headline_document_id, headline_vector, entity_counts, document_count,
  sources, first_seen_at, last_seen_at, merged_into`;

const json = <T>(value: T | string): T => (typeof value === 'string' ? JSON.parse(value) : value);

/** What the story model reads of an extracted document. */
export function storyInputOf(doc: ExtractedDocument, time: number): StoryInput {
  const { lead, body } = splitArticle(doc.text, doc.description);
  return {
    documentId: doc.id,
    title: doc.title ?? '',
    lead,
    body,
    entities: doc.entities,
    time,
    source: doc.source ?? null,
  };
}

export function profileFromRow(row: StoryRow): StoryProfile {
  const stored = row.profile ? json(row.profile) : null;
  if (stored) return profileFromStored(stored);
  // A story written before the learnt model: its entities and times are all that carry over.
  const firstSeen = new Date(row.first_seen_at).getTime();
  return {
    centroids: emptyFieldVectors(),
    entityCounts: new Map(
      entityKeysFromStrings(Object.keys(json(row.entity_counts))).flatMap((entity) =>
        entity.keys.map((key) => [key, 1] as const),
      ),
    ),
    documentCount: row.document_count,
    sourceCounts: new Map(row.sources.map((source) => [source, 1])),
    firstSeen,
    lastSeen: new Date(row.last_seen_at).getTime(),
    meanTime: firstSeen,
    recentTitles: [],
  };
}

/** The story's current headline as a candidate, if its vector is stored. */
export function headlineOf(row: StoryRow): HeadlineCandidate | null {
  if (!row.headline || !row.headline_vector) return null;
  return {
    documentId: row.headline_document_id ?? row.id,
    title: row.headline,
    vector: new Map(Object.entries(json(row.headline_vector))),
    source: null,
  };
}

/** The document's candidate headline entry. */
export const headlineCandidateOf = (input: StoryInput, features: DocumentFeatures): HeadlineCandidate => ({
  documentId: input.documentId,
  title: input.title,
  vector: features.vectors['title.s'],
  source: input.source,
});

/** Keeps the more representative of the story's headline and a new member's title. */
export function betterHeadline(
  current: HeadlineCandidate | null,
  candidate: HeadlineCandidate,
  profile: StoryProfile,
): HeadlineCandidate {
  if (!current) return candidate;
  return headlineScore(candidate, profile) > headlineScore(current, profile) + 1e-9 ? candidate : current;
}

/** Features of a document given the document frequencies (the document itself counted in). */
export function featuresOf(input: StoryInput, frequencies: DocumentFrequencies): DocumentFeatures {
  return documentFeatures(
    fieldTermCounts(input),
    frequencies,
    entityKeys(input.entities),
    input.time,
    input.source,
  );
}

/**
 * Puts a document in the best-ranked open story when the model's decision says it belongs there,
 * or starts one. Candidates come from GIN look-ups on story stems and entity keys in the time
 * window, the most recently active first. Call inside the index transaction, under the index
 * lock, so concurrent indexers see each other's stories and never split a group.
 */
export async function assignStory(
  tx: Queryable,
  input: StoryInput,
  model: StoryModel = DEFAULT_STORY_MODEL,
): Promise<{ storyId: string; probability: number | null; created: boolean }> {
  const frequencies = await countTerms(tx, frequencyKeys(fieldTermCounts(input)));
  const features = featuresOf(input, frequencies);
  const rows = await candidateStories(tx, features, model);
  const choice = chooseStory(
    features,
    rows.map((row) => ({ id: row.id, row, profile: profileFromRow(row) })),
    model,
  );
  if (choice.best && choice.join) {
    const profile = addToProfile(choice.best.profile, features);
    const headline = betterHeadline(
      headlineOf(choice.best.row),
      headlineCandidateOf(input, features),
      profile,
    );
    await saveStory(tx, choice.best.id, profile, headline);
    return { storyId: choice.best.id, probability: choice.probability, created: false };
  }
  await tx.query(
    `INSERT INTO stories (id, headline, headline_document_id, first_seen_at, last_seen_at)
     VALUES ($1, $2, $1, $3, $3) ON CONFLICT (id) DO NOTHING`,
    [input.documentId, input.title || null, new Date(input.time).toISOString()],
  );
  await saveStory(tx, input.documentId, profileOf(features), headlineCandidateOf(input, features));
  return { storyId: input.documentId, probability: choice.best ? choice.probability : null, created: true };
}

/** Open stories in the document's window sharing a lookup stem or entity key, most recent first. */
export async function candidateStories(
  tx: Queryable,
  features: DocumentFeatures,
  outer: StoryModel = DEFAULT_STORY_MODEL,
  exclude: string | null = null,
): Promise<StoryRow[]> {
  const model = modelFor(features, outer);
  const windowMs = model.windowHours * 3_600_000;
  const { rows } = await tx.query<StoryRow>(
    `SELECT ${STORY_COLUMNS} FROM stories
     WHERE merged_into IS NULL AND last_seen_at >= $1 AND first_seen_at <= $2
       AND lookup_keys && $3::text[] AND id IS DISTINCT FROM $5
     ORDER BY last_seen_at DESC, id LIMIT $4`,
    [
      new Date(features.time - windowMs).toISOString(),
      new Date(features.time + windowMs).toISOString(),
      documentWeekKeys(features, model.windowHours),
      model.maxCandidates,
      exclude,
    ],
  );
  return rows;
}

/** The row a story is written with (also used by the batch path). */
export function storyRowValues(profile: StoryProfile, headline: HeadlineCandidate | null) {
  const terms = storyLookupTerms(profile);
  return {
    profile: storedProfile(profile),
    terms,
    lookup_keys: storyWeekKeys(profile, terms),
    entity_counts: Object.fromEntries(profile.entityCounts),
    entity_keys: [...profile.entityCounts.keys()],
    document_count: profile.documentCount,
    // Sorted (code points), so every path writes the same array.
    sources: profileSources(profile).sort(),
    first_seen_at: new Date(profile.firstSeen).toISOString(),
    last_seen_at: new Date(profile.lastSeen).toISOString(),
    headline: headline?.title || null,
    headline_document_id: headline?.documentId ?? null,
    headline_vector: headline ? Object.fromEntries(headline.vector) : null,
  };
}

/** Writes a story's profile, lookup keys and headline. */
export async function saveStory(
  tx: Queryable,
  storyId: string,
  profile: StoryProfile,
  headline: HeadlineCandidate | null,
) {
  const row = storyRowValues(profile, headline);
  await tx.query(
    `UPDATE stories SET profile = $2, terms = $3, entity_counts = $4, entity_keys = $5, document_count = $6,
       sources = $7, first_seen_at = $8, last_seen_at = $9,
       headline = coalesce($10, headline), headline_document_id = coalesce($11, headline_document_id),
       headline_vector = coalesce($12, headline_vector), lookup_keys = $13, updated_at = now()
     WHERE id = $1`,
    [
      storyId,
      JSON.stringify(row.profile),
      row.terms,
      JSON.stringify(row.entity_counts),
      row.entity_keys,
      row.document_count,
      row.sources,
      row.first_seen_at,
      row.last_seen_at,
      row.headline,
      row.headline_document_id,
      row.headline_vector ? JSON.stringify(row.headline_vector) : null,
      row.lookup_keys,
    ],
  );
}

/**
 * Records a duplicate's source and time on its original's story, without counting it twice: the
 * same change the batch path makes to the profile (source with no member, span widened), look-up
 * keys included, so a span stretched into another week is found there as the batch path's is.
 */
export async function touchStory(tx: Queryable, storyId: string, source: string | null, time: number) {
  const { rows } = await tx.query<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories WHERE id = $1`, [storyId]);
  const row = rows[0];
  // Stories without a stored profile (written before the learnt model) keep their keys.
  const lookupKeys = row?.profile ? storyWeekKeys(widenedProfile(profileFromRow(row), source, time)) : null;
  await tx.query(
    `UPDATE stories SET last_seen_at = greatest(last_seen_at, $2), first_seen_at = least(first_seen_at, $2),
       sources = CASE WHEN $3::text IS NULL OR $3 = ANY(sources) THEN sources
                 ELSE ARRAY(SELECT s FROM unnest(array_append(sources, $3::text)) s ORDER BY s COLLATE "C") END,
       profile = CASE WHEN profile IS NULL THEN NULL ELSE profile || jsonb_build_object(
         'firstSeen', least((profile->>'firstSeen')::float8, $4::float8),
         'lastSeen', greatest((profile->>'lastSeen')::float8, $4::float8),
         'sourceCounts', CASE WHEN $3::text IS NULL OR profile->'sourceCounts' ? $3::text THEN profile->'sourceCounts'
                         ELSE profile->'sourceCounts' || jsonb_build_object($3::text, 0) END) END,
       lookup_keys = coalesce($5::text[], lookup_keys), updated_at = now()
     WHERE id = $1`,
    [storyId, new Date(time).toISOString(), source, time, lookupKeys],
  );
}

/** A story's profile with a duplicate's time and source: span widened, the source named with no member. */
export function widenedProfile(profile: StoryProfile, source: string | null, time: number): StoryProfile {
  return {
    ...profile,
    firstSeen: Math.min(profile.firstSeen, time),
    lastSeen: Math.max(profile.lastSeen, time),
    sourceCounts:
      source && !profile.sourceCounts.has(source)
        ? new Map([...profile.sourceCounts, [source, 0]])
        : profile.sourceCounts,
  };
}

/** Folds story `fromId` into `intoId`: members move, profiles add up, `fromId` points to `intoId`. */
export async function mergeStoriesIn(
  tx: Queryable,
  intoId: string,
  fromId: string,
  probability: number | null = null,
): Promise<boolean> {
  if (intoId === fromId) return false;
  const { rows } = await tx.query<StoryRow>(
    `SELECT ${STORY_COLUMNS} FROM stories WHERE id = ANY($1::text[]) AND merged_into IS NULL FOR UPDATE`,
    [[intoId, fromId]],
  );
  const into = rows.find((row) => row.id === intoId);
  const from = rows.find((row) => row.id === fromId);
  if (!into || !from) return false;
  const profile = mergeProfiles(profileFromRow(into), profileFromRow(from));
  const headlines = [headlineOf(into), headlineOf(from)].filter((entry) => entry !== null);
  const headline = headlines.reduce<HeadlineCandidate | null>(
    (best, entry) => betterHeadline(best, entry, profile),
    null,
  );
  await saveStory(tx, intoId, profile, headline);
  await tx.query('UPDATE documents SET story_id = $1 WHERE story_id = $2', [intoId, fromId]);
  await tx.query(
    `UPDATE stories SET merged_into = $1, terms = '{}', entity_keys = '{}', lookup_keys = '{}', updated_at = now()
     WHERE id = $2`,
    [intoId, fromId],
  );
  await tx.query('UPDATE stories SET merged_into = $1 WHERE merged_into = $2', [intoId, fromId]);
  await tx.query(
    `INSERT INTO story_history (story_id, action, other_story_id, probability)
     VALUES ($1, 'merged-into', $2, $3), ($2, 'absorbed', $1, $3)`,
    [fromId, intoId, probability],
  );
  return true;
}

/**
 * The index's own document frequencies (no background prior) of the words of a story's full
 * names: the evidence the repair pass's merges past the join window read (`mayMerge`).
 */
export async function nameFrequencies(tx: Queryable, profile: StoryProfile): Promise<DocumentFrequencies> {
  const keys = [...new Set(fullNames(profile).flatMap((key) => nameWords(key).map((word) => `w:${word}`)))];
  if (keys.length === 0) return { documentCount: 0, frequency: () => 0 };
  const { documentCount, known } = await storedTermFrequencies(tx, keys);
  return { documentCount: documentCount ?? 0, frequency: (term) => known.get(term) ?? 0 };
}

/**
 * The index's document frequencies of `keys` as stored (terms never counted are absent), and
 * how many documents it has counted (null before the first). One read, nothing counted in.
 */
export async function storedTermFrequencies(
  tx: Queryable,
  keys: string[],
): Promise<{ documentCount: number | null; known: Map<string, number> }> {
  const { rows } = await tx.query<{ term: string | null; document_count: number | string }>(
    `SELECT term, document_count FROM story_term_frequencies WHERE term = ANY($1::text[])
     UNION ALL SELECT NULL, value FROM index_counters WHERE name = 'story_documents'`,
    [keys],
  );
  const known = new Map(
    rows.filter((row) => row.term !== null).map((row) => [row.term!, Number(row.document_count)]),
  );
  const counter = rows.find((row) => row.term === null)?.document_count;
  return { documentCount: counter == null ? null : Number(counter), known };
}

/** Reads the document frequencies of `keys`, then counts this document in. */
async function countTerms(tx: Queryable, keys: string[]): Promise<DocumentFrequencies> {
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
    [keys],
  );
  const counter = rows.find((row) => row.term === null);
  // Same convention as the in-memory clusterer: the document itself is counted before weighing.
  const known = new Map(
    rows.filter((row) => row.term !== null).map((row) => [row.term!, Number(row.document_count) + 1]),
  );
  const documentCount = Number(counter?.document_count ?? 1);
  return { documentCount, frequency: (term) => known.get(term) ?? 1 };
}
