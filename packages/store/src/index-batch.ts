import type { ExtractedDocument } from '@sluice/contracts';
import {
  addToProfile,
  chooseStory,
  DEFAULT_STORY_MODEL,
  type DocumentFeatures,
  documentWeekKeys,
  fieldTermCounts,
  fingerprintKeys,
  fingerprintSimilarity,
  frequencyKeys,
  type HeadlineCandidate,
  isNearDuplicate,
  lookupEntities,
  lookupTerms,
  modelFor,
  profileOf,
  type StoryProfile,
  storyLookupTerms,
} from '@sluice/stories';
import type { Queryable } from './database';
import { type DocumentRow, documentRow, validTime } from './document-row';
import type { IndexOutcome } from './document-types';
import { entityKey } from './entity-key';
import type { DuplicateMatch } from './find-duplicate';
import { MAX_NEAR_CANDIDATES } from './find-duplicate';
import { indexInTransaction } from './index-document';
import {
  betterHeadline,
  featuresOf,
  headlineCandidateOf,
  headlineOf,
  profileFromRow,
  STORY_COLUMNS,
  type StoryRow,
  storyInputOf,
  storyRowValues,
  widenedProfile,
} from './story-assignment';

/**
 * Indexes documents in order inside a transaction that holds the index lock, with the same
 * outcome as indexing them one by one. Runs of new documents (the common case) take the batch
 * path: two reads for the whole run (duplicates, term frequencies, candidate stories), the
 * decisions in memory (each document sees the ones before it), and one write statement. A
 * document already in the index (an update, or unchanged) or repeated in the batch goes
 * through the one-at-a-time path between runs.
 */
export async function indexBatchInTransaction(
  tx: Queryable,
  docs: readonly ExtractedDocument[],
  knownConfigs: Set<string>,
): Promise<IndexOutcome[]> {
  // Usually every document is new: then one read serves the whole batch, existence check included.
  const ids = docs.map((doc) => doc.id);
  if (new Set(ids).size === ids.length) {
    const outcomes = await indexNewDocuments(tx, docs.map(documentRow), knownConfigs, ids);
    if (outcomes) return outcomes;
  }
  const { rows: existing } = await tx.query<{ id: string }>(
    'SELECT id FROM documents WHERE id = ANY($1::text[])',
    [docs.map((doc) => doc.id)],
    { prepare: true },
  );
  const stored = new Set(existing.map((row) => row.id));
  const outcomes: IndexOutcome[] = [];
  let run: DocumentRow[] = [];
  const inRun = new Set<string>();
  const flush = async () => {
    if (run.length > 0) outcomes.push(...(await indexNewDocuments(tx, run, knownConfigs, []))!);
    run = [];
    inRun.clear();
  };
  for (const doc of docs) {
    if (stored.has(doc.id)) {
      await flush();
      outcomes.push(await indexInTransaction(tx, doc, knownConfigs));
      continue;
    }
    if (inRun.has(doc.id)) {
      await flush();
      stored.add(doc.id);
      outcomes.push(await indexInTransaction(tx, doc, knownConfigs));
      continue;
    }
    run.push(documentRow(doc));
    inRun.add(doc.id);
  }
  await flush();
  return outcomes;
}

interface Planned {
  row: DocumentRow;
  duplicate: DuplicateMatch | null;
  keys: string[];
  entityKeys: string[];
  features: DocumentFeatures | null;
  storyId: string | null;
  /** Sources merged in from exact duplicates later in the batch. */
  sources: string[];
}

interface StoryState {
  profile: StoryProfile;
  isNew: boolean;
  headline: HeadlineCandidate | null;
  dirty: boolean;
  /** Folded into another story: touched like any story, but no longer a candidate. */
  merged: boolean;
}

interface FirstRead {
  urls: { url: string; original: string }[];
  bodies: { hash: string; id: string }[];
  near: { doc: number; id: string; fingerprints: ExtractedDocument['fingerprints'] }[];
  terms: { term: string; count: number }[];
  counter: number | string | null;
  existing: boolean;
}

/** A profile's lookup terms, sorted out once per profile (profiles are replaced, never changed). */
const lookupTermsCache = new WeakMap<StoryProfile, string[]>();
function lookupTermsOf(profile: StoryProfile): string[] {
  let terms = lookupTermsCache.get(profile);
  if (!terms) {
    terms = storyLookupTerms(profile);
    lookupTermsCache.set(profile, terms);
  }
  return terms;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? JSON.parse(value) : value);

/** The batch path for documents not in the index yet, with distinct ids. */
async function indexNewDocuments(
  tx: Queryable,
  rows: DocumentRow[],
  knownConfigs: Set<string>,
  /** Ids to check first: if any is indexed already, nothing is written and the answer is null. */
  checkIds: string[],
): Promise<IndexOutcome[] | null> {
  const planned: Planned[] = rows.map((row) => ({
    row,
    duplicate: null,
    keys: fingerprintKeys(row.doc.fingerprints),
    entityKeys: [...new Set(row.doc.entities.map((entity) => entityKey(entity.type, entity.name)))],
    features: null,
    storyId: null,
    sources: row.doc.source ? [row.doc.source] : [],
  }));
  /** Sources to add to originals already in the index (their exact duplicates' sources). */
  const sourceUpdates = new Map<string, { sources: string[] }>();
  const inputs = rows.map((row) => storyInputOf(row.doc, Date.parse(row.eventAt)));
  const counts = inputs.map((input) => frequencyKeys(fieldTermCounts(input)));
  const allTerms = [...new Set(counts.flat())];

  // Read 1: exact-duplicate keys, near-duplicate candidates, term frequencies.
  const { rows: firstRows } = await tx.query<{ [K in keyof FirstRead]: FirstRead[K] | string }>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('url', u.url, 'original', coalesce(d.duplicate_of, d.id))), '[]')
        FROM document_urls u JOIN documents d ON d.id = u.document_id WHERE u.url = ANY($1::text[])) AS urls,
       (SELECT coalesce(json_agg(json_build_object('hash', b.body_hash, 'id', b.id)), '[]') FROM (
          SELECT DISTINCT ON (body_hash) body_hash, id FROM documents
          WHERE body_hash = ANY($2::text[]) AND duplicate_of IS NULL ORDER BY body_hash, indexed_at) b) AS bodies,
       (SELECT coalesce(json_agg(json_build_object('doc', x.ord, 'id', c.id, 'fingerprints', c.fingerprints)
          ORDER BY x.ord, c.indexed_at), '[]')
        FROM json_array_elements($3::json) WITH ORDINALITY AS x(keys, ord)
        CROSS JOIN LATERAL (
          SELECT d.id, d.fingerprints, d.indexed_at FROM documents d
          WHERE d.id IN (SELECT k.document_id FROM document_fingerprint_keys k
                         WHERE k.key IN (SELECT json_array_elements_text(x.keys)) LIMIT ${MAX_NEAR_CANDIDATES})
            AND d.duplicate_of IS NULL) c
        WHERE json_array_length(x.keys) > 0) AS near,
       (SELECT coalesce(json_agg(json_build_object('term', term, 'count', document_count)), '[]')
        FROM story_term_frequencies WHERE term = ANY($4::text[])) AS terms,
       (SELECT value FROM index_counters WHERE name = 'story_documents') AS counter,
       EXISTS (SELECT 1 FROM documents WHERE id = ANY($5::text[])) AS existing`,
    [
      [...new Set(rows.flatMap((row) => row.urls))],
      [...new Set(rows.flatMap((row) => (row.bodyHash ? [row.bodyHash] : [])))],
      JSON.stringify(planned.map((plan) => plan.keys)),
      allTerms,
      checkIds,
    ],
    { prepare: true },
  );
  const first = firstRows[0]!;
  if (first.existing === true) return null;
  const urlOriginal = new Map(json(first.urls as FirstRead['urls']).map((row) => [row.url, row.original]));
  const bodyOriginal = new Map(json(first.bodies as FirstRead['bodies']).map((row) => [row.hash, row.id]));
  const nearByDoc = new Map<number, FirstRead['near']>();
  for (const candidate of json(first.near as FirstRead['near'])) {
    const list = nearByDoc.get(candidate.doc - 1) ?? [];
    list.push(candidate);
    nearByDoc.set(candidate.doc - 1, list);
  }
  const termCount = new Map(
    json(first.terms as FirstRead['terms']).map((row) => [row.term, Number(row.count)]),
  );
  let documentCount = Number(first.counter ?? 0);

  // Decide duplicates and IDF features in order, each document seeing the batch before it.
  const batchUrlOwner = new Map<string, string>();
  const batchBody = new Map<string, string>();
  const batchKeys = new Map<string, number[]>();
  const byId = new Map<string, Planned>();
  const termIncrements = new Map<string, number>();
  let counted = 0;
  for (const [index, plan] of planned.entries()) {
    const { row } = plan;
    plan.duplicate = exactDuplicate(row, urlOriginal, batchUrlOwner, byId, bodyOriginal, batchBody);
    if (!plan.duplicate && plan.keys.length > 0 && row.doc.fingerprints) {
      const candidates: { id: string; fingerprints: ExtractedDocument['fingerprints'] }[] = [
        ...(nearByDoc.get(index) ?? []),
      ];
      const seen = new Set<number>();
      for (const key of plan.keys)
        for (const earlier of batchKeys.get(key) ?? []) {
          if (seen.has(earlier)) continue;
          seen.add(earlier);
        }
      for (const earlier of [...seen].sort((a, b) => a - b)) {
        const other = planned[earlier]!;
        if (!other.duplicate)
          candidates.push({ id: other.row.doc.id, fingerprints: other.row.doc.fingerprints });
      }
      let best: DuplicateMatch | null = null;
      for (const candidate of candidates) {
        if (!candidate.fingerprints || !isNearDuplicate(row.doc.fingerprints, candidate.fingerprints))
          continue;
        const similarity = fingerprintSimilarity(row.doc.fingerprints, candidate.fingerprints) ?? 0;
        if (!best || similarity > best.similarity)
          best = { originalId: candidate.id, kind: 'near', similarity };
      }
      plan.duplicate = best;
    }
    byId.set(row.doc.id, plan);
    const owner = plan.duplicate?.kind === 'exact' ? plan.duplicate.originalId : row.doc.id;
    for (const url of row.urls)
      if (!urlOriginal.has(url) && !batchUrlOwner.has(url)) batchUrlOwner.set(url, owner);
    if (plan.duplicate) {
      plan.keys = [];
      if (plan.duplicate.kind === 'exact' && row.doc.source) {
        const original = byId.get(plan.duplicate.originalId);
        const target = original ?? sourceUpdate(plan.duplicate.originalId);
        if (!target.sources.includes(row.doc.source)) target.sources.push(row.doc.source);
      }
      continue;
    }
    if (row.bodyHash && !bodyOriginal.has(row.bodyHash) && !batchBody.has(row.bodyHash))
      batchBody.set(row.bodyHash, row.doc.id);
    for (const key of plan.keys) batchKeys.set(key, [...(batchKeys.get(key) ?? []), index]);
    // Term frequencies as the one-at-a-time path counts them: this document included.
    const termsOfDoc = counts[index]!;
    counted += 1;
    const total = documentCount + counted;
    const frequency = (term: string) => (termCount.get(term) ?? 0) + (termIncrements.get(term) ?? 0) + 1;
    plan.features = featuresOf(inputs[index]!, { documentCount: total, frequency });
    for (const term of termsOfDoc) termIncrements.set(term, (termIncrements.get(term) ?? 0) + 1);
  }
  documentCount += counted;

  // Read 2: candidate stories per document, and the stories of originals already indexed.
  const model = DEFAULT_STORY_MODEL;
  const windowOf = (features: DocumentFeatures) => modelFor(features, model).windowHours * 3_600_000;
  const lookups = planned.map((plan) =>
    plan.features
      ? {
          windowMs: windowOf(plan.features),
          terms: lookupTerms(plan.features),
          entities: lookupEntities(plan.features),
          weekKeys: documentWeekKeys(plan.features, modelFor(plan.features, model).windowHours),
          from: new Date(plan.features.time - windowOf(plan.features)).toISOString(),
          to: new Date(plan.features.time + windowOf(plan.features)).toISOString(),
        }
      : null,
  );
  const dbOriginals = [
    ...new Set(
      planned.flatMap((plan) =>
        plan.duplicate && !byId.has(plan.duplicate.originalId) ? [plan.duplicate.originalId] : [],
      ),
    ),
  ];
  // One read for the whole batch: every story in the batch's time span sharing a term or an
  // entity with any of its documents. Each document's candidates are picked from these in memory
  // (its own window and overlap, the most recently active first), as the one-at-a-time path does.
  const active = lookups.filter((lookup) => lookup !== null);
  /** The documents' time windows, overlapping ones merged (ISO times compare as strings). */
  const windows: { from: string; to: string }[] = [];
  for (const { from, to } of [...active].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = windows.at(-1);
    if (last && from <= last.to) last.to = to > last.to ? to : last.to;
    else windows.push({ from, to });
  }
  const { rows: secondRows } = await tx.query<{
    stories: (StoryRow & { terms: string[]; entity_keys: string[]; candidate: boolean })[] | string;
    originals: { id: string; story_id: string | null }[] | string;
  }>(
    `WITH originals AS (SELECT id, story_id FROM documents WHERE id = ANY($4::text[])),
     candidates AS (
       SELECT id FROM stories
       WHERE merged_into IS NULL AND lookup_keys && $1::text[]
         AND EXISTS (SELECT 1 FROM unnest($2::timestamptz[], $3::timestamptz[]) AS w(low, high)
                     WHERE last_seen_at >= w.low AND first_seen_at <= w.high))
     SELECT
       (SELECT coalesce(json_agg(s), '[]') FROM (
          SELECT ${STORY_COLUMNS}, terms, entity_keys, id IN (SELECT id FROM candidates) AS candidate
          FROM stories WHERE id IN (SELECT id FROM candidates UNION SELECT story_id FROM originals)) s) AS stories,
       (SELECT coalesce(json_agg(o), '[]') FROM originals o) AS originals`,
    [
      [...new Set(active.flatMap((lookup) => lookup.weekKeys))],
      windows.map((window) => window.from),
      windows.map((window) => window.to),
      dbOriginals,
    ],
    { prepare: true },
  );
  const second = secondRows[0]!;
  const dbStories = new Map(json(second.stories).map((row) => [row.id, row]));
  /** Candidate stories by term and by entity, as stored (a story changed by the batch is rechecked). */
  const storiesByKey = new Map<string, string[]>();
  for (const row of dbStories.values()) {
    if (!row.candidate) continue;
    for (const key of [...row.terms.map((term) => `t:${term}`), ...row.entity_keys.map((key) => `e:${key}`)])
      storiesByKey.set(key, [...(storiesByKey.get(key) ?? []), row.id]);
  }
  const originalStory = new Map(json(second.originals).map((row) => [row.id, row.story_id]));

  // Story assignment in order, over the stories as this batch has changed them so far.
  const states = new Map<string, StoryState>();
  const stateOf = (id: string): StoryState | null => {
    const known = states.get(id);
    if (known) return known;
    const row = dbStories.get(id);
    if (!row) return null;
    const state = {
      profile: profileFromRow(row),
      isNew: false,
      headline: headlineOf(row),
      dirty: false,
      merged: row.merged_into != null,
    };
    states.set(id, state);
    return state;
  };
  for (const [index, plan] of planned.entries()) {
    const time = Date.parse(plan.row.eventAt);
    if (plan.duplicate) {
      const original = byId.get(plan.duplicate.originalId);
      plan.storyId = original ? original.storyId : (originalStory.get(plan.duplicate.originalId) ?? null);
      const state = plan.storyId ? stateOf(plan.storyId) : null;
      if (state) {
        // A duplicate names its source on the story without counting as a member.
        state.profile = widenedProfile(state.profile, plan.row.doc.source ?? null, time);
        state.dirty = true;
      }
      continue;
    }
    const features = plan.features!;
    const lookup = lookups[index]!;
    const ids = new Set<string>();
    for (const term of lookup.terms) for (const id of storiesByKey.get(`t:${term}`) ?? []) ids.add(id);
    for (const entity of lookup.entities) for (const id of storiesByKey.get(`e:${entity}`) ?? []) ids.add(id);
    for (const [id, state] of states) if (state.dirty) ids.add(id);
    const terms = new Set(lookup.terms);
    const entities = new Set(lookup.entities);
    const eligible: { id: string; state: StoryState }[] = [];
    for (const id of ids) {
      const state = stateOf(id);
      if (!state || state.merged) continue;
      const { profile } = state;
      if (
        profile.lastSeen < features.time - lookup.windowMs ||
        profile.firstSeen > features.time + lookup.windowMs
      )
        continue;
      if (
        state.dirty &&
        !lookupTermsOf(profile).some((term) => terms.has(term)) &&
        ![...profile.entityCounts.keys()].some((entity) => entities.has(entity))
      )
        continue;
      eligible.push({ id, state });
    }
    eligible.sort((a, b) => b.state.profile.lastSeen - a.state.profile.lastSeen || (a.id < b.id ? -1 : 1));
    const choice = chooseStory(
      features,
      eligible
        .slice(0, modelFor(features, model).maxCandidates)
        .map(({ id, state }) => ({ id, state, profile: state.profile })),
      model,
    );
    const headline = headlineCandidateOf(inputs[index]!, features);
    if (choice.best && choice.join) {
      const { state } = choice.best;
      state.profile = addToProfile(state.profile, features);
      state.headline = betterHeadline(state.headline, headline, state.profile);
      state.dirty = true;
      plan.storyId = choice.best.id;
    } else {
      const id = plan.row.doc.id;
      states.set(id, {
        profile: profileOf(features),
        isNew: true,
        headline,
        dirty: true,
        merged: false,
      });
      plan.storyId = id;
    }
  }

  await writeBatch(tx, planned, states, sourceUpdates, termIncrements, counted, knownConfigs);
  return planned.map((plan) => ({
    id: plan.row.doc.id,
    action: plan.duplicate ? 'duplicate' : 'inserted',
    duplicateOf: plan.duplicate?.originalId ?? null,
    duplicateKind: plan.duplicate?.kind ?? null,
    similarity: plan.duplicate?.similarity ?? null,
    storyId: plan.storyId,
  }));

  function sourceUpdate(id: string): { sources: string[] } {
    let update = sourceUpdates.get(id);
    if (!update) {
      update = { sources: [] };
      sourceUpdates.set(id, update);
    }
    return update;
  }
}

function exactDuplicate(
  row: DocumentRow,
  urlOriginal: Map<string, string>,
  batchUrlOwner: Map<string, string>,
  byId: Map<string, Planned>,
  bodyOriginal: Map<string, string>,
  batchBody: Map<string, string>,
): DuplicateMatch | null {
  for (const url of row.urls) {
    const indexed = urlOriginal.get(url);
    if (indexed) return { originalId: indexed, kind: 'exact', similarity: 1 };
    const owner = batchUrlOwner.get(url);
    if (owner) {
      const original = byId.get(owner)?.duplicate?.originalId ?? owner;
      return { originalId: original, kind: 'exact', similarity: 1 };
    }
  }
  if (row.bodyHash) {
    const original = bodyOriginal.get(row.bodyHash) ?? batchBody.get(row.bodyHash);
    if (original) return { originalId: original, kind: 'exact', similarity: 1 };
  }
  return null;
}

async function writeBatch(
  tx: Queryable,
  planned: Planned[],
  states: Map<string, StoryState>,
  sourceUpdates: Map<string, { sources: string[] }>,
  termIncrements: Map<string, number>,
  counted: number,
  knownConfigs: Set<string>,
) {
  const documents = planned.map(({ row, duplicate, storyId, sources }) => {
    const { doc } = row;
    return {
      entity_keys: [] as string[],
      id: doc.id,
      url: doc.url ?? null,
      canonical_url: doc.canonicalUrl ?? null,
      source: doc.source ?? null,
      site_name: doc.siteName ?? null,
      title: doc.title ?? null,
      text: doc.text,
      description: doc.description ?? null,
      byline: doc.byline ?? null,
      authors: doc.authors ?? [],
      published_at: validTime(doc.publishedAt),
      modified_at: validTime(doc.modifiedAt),
      published_at_source: doc.publishedAtSource ?? null,
      lang: doc.lang ?? null,
      ts_config: row.config,
      entities: doc.entities ?? [],
      quotes: doc.quotes ?? [],
      keywords: doc.keywords ?? [],
      summary: doc.summary ?? null,
      fingerprints: doc.fingerprints ?? null,
      fetched_at: validTime(doc.fetchedAt) ?? row.eventAt,
      extracted_at: validTime(doc.extractedAt) ?? row.eventAt,
      event_at: row.eventAt,
      body_hash: row.bodyHash ?? `id:${doc.id}`,
      content_hash: row.contentHash,
      duplicate_of: duplicate?.originalId ?? null,
      duplicate_kind: duplicate?.kind ?? null,
      duplicate_similarity: duplicate?.similarity ?? null,
      story_id: storyId,
      sources,
      indexed_text: row.indexedText,
    };
  });
  const urls = planned.flatMap(({ row, duplicate }) =>
    row.urls.map((url) => ({
      url,
      document_id: duplicate?.kind === 'exact' ? duplicate.originalId : row.doc.id,
      source: row.doc.source ?? null,
    })),
  );
  const keys = planned.flatMap(({ row, keys }) => keys.map((key) => ({ key, document_id: row.doc.id })));
  const entities = new Map<string, { type: string; name: string; key: string }>();
  const links: { document_id: string; key: string; mentions: number }[] = [];
  for (const [index, { row }] of planned.entries()) {
    const mentions = new Map<string, number>();
    for (const entity of row.doc.entities) {
      const key = entityKey(entity.type, entity.name);
      if (key.endsWith(':')) continue;
      if (!entities.has(key)) entities.set(key, { type: entity.type, name: entity.name, key });
      mentions.set(key, (mentions.get(key) ?? 0) + entity.mentions);
    }
    for (const [key, count] of mentions) links.push({ document_id: row.doc.id, key, mentions: count });
    documents[index]!.entity_keys = [...mentions.keys()];
  }
  const stories = [...states]
    .filter(([, state]) => state.dirty)
    .map(([id, { profile, isNew, headline }]) => ({
      id,
      is_new: isNew,
      ...storyRowValues(profile, headline),
    }));
  const updates = [...sourceUpdates].map(([id, { sources }]) => ({ id, sources }));
  const configs = [...new Set(planned.map(({ row }) => row.config))].filter(
    (config) => !knownConfigs.has(config),
  );

  await tx.query(
    `WITH new_entities AS (
       INSERT INTO entities (type, name, key)
       SELECT type, name, key FROM jsonb_to_recordset($5::jsonb) AS x(type text, name text, key text)
       ON CONFLICT (key) DO NOTHING RETURNING id, key),
     all_entities AS (
       SELECT id, key FROM new_entities
       UNION ALL SELECT id, key FROM entities WHERE key IN (SELECT x->>'key' FROM jsonb_array_elements($5::jsonb) x)),
     docs AS (
       INSERT INTO documents (
         id, url, canonical_url, source, site_name, title, text, description, byline, authors,
         published_at, modified_at, published_at_source, lang, ts_config, entities, quotes, keywords, summary,
         fingerprints, fetched_at, extracted_at, event_at, body_hash, content_hash, duplicate_of, duplicate_kind,
         duplicate_similarity, story_id, sources, entity_ids, search_vector)
       SELECT x.id, x.url, x.canonical_url, x.source, x.site_name, x.title, x.text, x.description, x.byline, x.authors,
         x.published_at, x.modified_at, x.published_at_source, x.lang, x.ts_config::regconfig, x.entities, x.quotes,
         x.keywords, x.summary, x.fingerprints, x.fetched_at, x.extracted_at, x.event_at, x.body_hash, x.content_hash,
         x.duplicate_of, x.duplicate_kind, x.duplicate_similarity, x.story_id,
         ARRAY(SELECT jsonb_array_elements_text(x.sources)),
         ARRAY(SELECT e.id FROM all_entities e WHERE e.key IN (SELECT jsonb_array_elements_text(x.entity_keys))
               ORDER BY e.id),
         setweight(to_tsvector(x.ts_config::regconfig, coalesce(x.title, '')), 'A')
           || setweight(to_tsvector(x.ts_config::regconfig, coalesce(x.description, '') || ' ' || x.indexed_text), 'B')
       FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, url text, canonical_url text, source text, site_name text, title text, text text,
         description text, byline text, authors jsonb, published_at timestamptz, modified_at timestamptz,
         published_at_source text, lang text, ts_config text, entities jsonb, quotes jsonb, keywords jsonb,
         summary text, fingerprints jsonb, fetched_at timestamptz, extracted_at timestamptz, event_at timestamptz,
         body_hash text, content_hash text, duplicate_of text, duplicate_kind text, duplicate_similarity real,
         story_id text, sources jsonb, indexed_text text, entity_keys jsonb)
       RETURNING 1),
     urls AS (
       INSERT INTO document_urls (url, document_id, source)
       SELECT url, document_id, source FROM jsonb_to_recordset($2::jsonb) AS x(url text, document_id text, source text)
       ON CONFLICT (url) DO NOTHING RETURNING 1),
     keys AS (
       INSERT INTO document_fingerprint_keys (key, document_id)
       SELECT key, document_id FROM jsonb_to_recordset($3::jsonb) AS x(key text, document_id text)
       ON CONFLICT DO NOTHING RETURNING 1),
     sources AS (
       UPDATE documents d SET sources = d.sources || ARRAY(
         SELECT s FROM jsonb_array_elements_text(x.sources) AS s WHERE NOT s = ANY(d.sources))
       FROM jsonb_to_recordset($4::jsonb) AS x(id text, sources jsonb) WHERE d.id = x.id RETURNING 1),
     links AS (
       INSERT INTO document_entities (document_id, entity_id, mentions)
       SELECT l.document_id, e.id, l.mentions
       FROM jsonb_to_recordset($6::jsonb) AS l(document_id text, key text, mentions int) JOIN all_entities e ON e.key = l.key
       ON CONFLICT (document_id, entity_id) DO UPDATE SET mentions = excluded.mentions RETURNING 1),
     terms AS (
       INSERT INTO story_term_frequencies (term, document_count)
       SELECT * FROM unnest($7::text[], $8::int[])
       ON CONFLICT (term) DO UPDATE SET document_count = story_term_frequencies.document_count + excluded.document_count
       RETURNING 1),
     counter AS (
       INSERT INTO index_counters (name, value) SELECT 'story_documents', $9::bigint WHERE $9::bigint > 0
       ON CONFLICT (name) DO UPDATE SET value = index_counters.value + excluded.value RETURNING 1),
     story_rows AS (
       INSERT INTO stories (id, headline, headline_document_id, headline_vector, profile, terms, lookup_keys,
         entity_counts, entity_keys, document_count, sources, first_seen_at, last_seen_at)
       SELECT x.id, x.headline, x.headline_document_id, x.headline_vector, x.profile,
         ARRAY(SELECT jsonb_array_elements_text(x.terms)), ARRAY(SELECT jsonb_array_elements_text(x.lookup_keys)),
         x.entity_counts, ARRAY(SELECT jsonb_array_elements_text(x.entity_keys)), x.document_count,
         ARRAY(SELECT jsonb_array_elements_text(x.sources)), x.first_seen_at, x.last_seen_at
       FROM jsonb_to_recordset($10::jsonb) AS x(id text, is_new boolean, headline text, headline_document_id text,
         headline_vector jsonb, profile jsonb, terms jsonb, lookup_keys jsonb, entity_counts jsonb, entity_keys jsonb,
         document_count int, sources jsonb, first_seen_at timestamptz, last_seen_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, terms = excluded.terms,
         lookup_keys = excluded.lookup_keys,
         headline = coalesce(excluded.headline, stories.headline),
         headline_document_id = coalesce(excluded.headline_document_id, stories.headline_document_id),
         headline_vector = coalesce(excluded.headline_vector, stories.headline_vector),
         entity_counts = excluded.entity_counts, entity_keys = excluded.entity_keys,
         document_count = excluded.document_count, sources = excluded.sources,
         first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, updated_at = now()
       RETURNING 1),
     configs AS (
       INSERT INTO search_configs (config) SELECT unnest($11::text[])::regconfig ON CONFLICT DO NOTHING RETURNING 1)
     SELECT (SELECT count(*) FROM docs) + (SELECT count(*) FROM urls) + (SELECT count(*) FROM keys)
       + (SELECT count(*) FROM sources) + (SELECT count(*) FROM links) + (SELECT count(*) FROM terms)
       + (SELECT count(*) FROM counter) + (SELECT count(*) FROM story_rows) + (SELECT count(*) FROM configs) AS written`,
    [
      JSON.stringify(documents),
      JSON.stringify(urls),
      JSON.stringify(keys),
      JSON.stringify(updates),
      JSON.stringify([...entities.values()]),
      JSON.stringify(links),
      [...termIncrements.keys()],
      [...termIncrements.values()],
      counted,
      JSON.stringify(stories),
      configs,
    ],
    { prepare: true },
  );
  for (const config of configs) knownConfigs.add(config);
}
