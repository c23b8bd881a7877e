/**
 * Story assignment cost per document as the index grows from 1,000 to 100,000 stories, on a real
 * PostgreSQL server, through the indexer's own `assignStory`. Stories are synthetic (Zipf-drawn
 * stems and entities, about 100 new stories a day, so more stories means a longer history);
 * each probe document is assigned inside a transaction that is rolled back, so the size holds.
 * Beside it, in the same run and alternating, the candidate look-up alone: by week-bound keys (what
 * the indexer runs) and by plain stems and entities (the look-up before, on its own GIN indexes).
 * Usage: npx tsx packages/store/bench/story-scale-bench.ts [--sizes 1000,10000,100000] [--probes 200]
 */
import {
  DEFAULT_STORY_MODEL,
  type DocumentFeatures,
  lookupEntities,
  lookupTerms,
  modelFor,
  profileFromStored,
  type StoredProfile,
  storyWeekKeys,
} from '@sluice/stories';
import { startPostgres } from '@sluice/testkit';
import type { Queryable } from '../src/database';
import { openDatabase } from '../src/database';
import { migrateStore } from '../src/migrate-store';
import { assignStory, candidateStories, featuresOf, type StoryInput } from '../src/story-assignment';

const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1]! : fallback;
};
const sizes = option('sizes', '1000,10000,100000').split(',').map(Number);
const probes = Number(option('probes', '200'));
const STORIES_PER_DAY = 100;
/** Thrown to roll a probe's transaction back. */
class RollBack extends Error {}
const NOW = Date.parse('2026-06-01T00:00:00Z');

let seed = 7;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
/** Zipf-like draw over `n` ranks: a few terms are common, most are rare, as in news. */
const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n))) - 1);
const stems = (count: number) => Array.from({ length: count }, () => `w${zipf(40_000)}`);
const entities = (count: number) => Array.from({ length: count }, () => `place:p${zipf(20_000)}`);

function storyRow(index: number) {
  const time = NOW - (index / STORIES_PER_DAY) * 86_400_000;
  const terms = [...new Set(stems(32))];
  const keys = [...new Set(entities(6))];
  const vector = Object.fromEntries(terms.slice(0, 12).map((term) => [term, 1 / Math.sqrt(12)]));
  const profile = {
    centroids: {
      'title.w': vector,
      'title.s': vector,
      'lead.w': {},
      'lead.s': vector,
      'body.w': {},
      'body.s': {},
    },
    entityCounts: Object.fromEntries(keys.map((key) => [key, 1])),
    documentCount: 1 + Math.floor(random() * 4),
    sourceCounts: { 'example.com': 1 },
    firstSeen: time - 3_600_000,
    lastSeen: time,
    meanTime: time,
  };
  return {
    id: `story-${index}`,
    profile,
    terms,
    // As the indexer writes them: every lookup stem and entity, bound to the weeks of the story's span.
    lookup_keys: storyWeekKeys(profileFromStored({ ...profile, recentTitles: [] } as StoredProfile), terms),
    entity_keys: keys,
    entity_counts: profile.entityCounts,
    document_count: profile.documentCount,
    first_seen_at: new Date(profile.firstSeen).toISOString(),
    last_seen_at: new Date(time).toISOString(),
  };
}

/** The look-up before week-bound keys: every story in history sharing a stem or entity, then the window. */
async function plainLookup(tx: Queryable, features: DocumentFeatures) {
  const model = modelFor(features, DEFAULT_STORY_MODEL);
  const windowMs = model.windowHours * 3_600_000;
  await tx.query(
    `SELECT id, profile FROM stories
     WHERE merged_into IS NULL AND last_seen_at >= $1 AND first_seen_at <= $2
       AND (terms && $3::text[] OR entity_keys && $4::text[])
     ORDER BY last_seen_at DESC, id LIMIT $5`,
    [
      new Date(features.time - windowMs).toISOString(),
      new Date(features.time + windowMs).toISOString(),
      lookupTerms(features),
      lookupEntities(features),
      model.maxCandidates,
    ],
  );
}

function probeInput(probe: number): StoryInput {
  const words = stems(14).join(' ');
  return {
    documentId: `probe-${probe}`,
    title: words.split(' ').slice(0, 6).join(' '),
    lead: words,
    body: '',
    entities: entities(3).map((key) => ({ type: 'place', name: key.slice(6) })),
    time: NOW - random() * 86_400_000,
    source: 'example.com',
  };
}

const server = await startPostgres();
const db = await openDatabase({ url: server.url });
/** Assigns a probe document inside a transaction that is rolled back, so the index keeps its size. */
async function assignRolledBack(input: StoryInput) {
  await db
    .transaction(async (tx) => {
      await assignStory(tx, input);
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
}
try {
  await migrateStore(db);
  // The baseline's indexes (the migration replaced them with the week-bound keys' index).
  await db.query('CREATE INDEX bench_terms_idx ON stories USING GIN (terms)');
  await db.query('CREATE INDEX bench_entity_keys_idx ON stories USING GIN (entity_keys)');
  console.log(`story assignment cost vs index size (real PostgreSQL, ${probes} probe documents per size)`);
  console.log(
    'stories   history(days)   ms/doc (1st half)   ms/doc (2nd half)   look-up ms: week keys   plain (before)',
  );
  let warmed = false;
  let loaded = 0;
  for (const size of sizes) {
    while (loaded < size) {
      const chunk = Array.from({ length: Math.min(5000, size - loaded) }, (_, offset) =>
        storyRow(loaded + offset),
      );
      await db.query(
        `INSERT INTO stories (id, profile, terms, lookup_keys, entity_keys, entity_counts, document_count, sources,
           first_seen_at, last_seen_at)
         SELECT x.id, x.profile, ARRAY(SELECT jsonb_array_elements_text(x.terms)),
           ARRAY(SELECT jsonb_array_elements_text(x.lookup_keys)),
           ARRAY(SELECT jsonb_array_elements_text(x.entity_keys)), x.entity_counts, x.document_count, '{example.com}',
           x.first_seen_at, x.last_seen_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, profile jsonb, terms jsonb, lookup_keys jsonb, entity_keys jsonb,
           entity_counts jsonb, document_count int, first_seen_at timestamptz, last_seen_at timestamptz)`,
        [JSON.stringify(chunk)],
      );
      loaded += chunk.length;
    }
    await db.query('ANALYZE stories');
    if (!warmed) {
      // Warm-up (connections, plans, JIT), not timed, so the first size is not charged for it.
      for (let probe = 0; probe < 20; probe += 1) await assignRolledBack(probeInput(probe));
      warmed = true;
    }
    const halves: number[] = [];
    for (let half = 0; half < 2; half += 1) {
      const started = performance.now();
      for (let probe = 0; probe < probes / 2; probe += 1) await assignRolledBack(probeInput(probe));
      halves.push((performance.now() - started) / (probes / 2));
    }
    const lookup = { week: 0, plain: 0 };
    const frequencies = { documentCount: size, frequency: () => 1 };
    for (let probe = 0; probe < probes; probe += 1) {
      const features = featuresOf(probeInput(probe), frequencies);
      const timed = async (kind: 'week' | 'plain') => {
        const started = performance.now();
        if (kind === 'week') await candidateStories(db, features);
        else await plainLookup(db, features);
        lookup[kind] += performance.now() - started;
      };
      const order = probe % 2 === 0 ? (['week', 'plain'] as const) : (['plain', 'week'] as const);
      for (const kind of order) await timed(kind);
    }
    console.log(
      `${String(size).padStart(7)}   ${String(Math.round(size / STORIES_PER_DAY)).padStart(13)}   ${halves[0]!.toFixed(2).padStart(17)}   ${halves[1]!.toFixed(2).padStart(17)}   ${(lookup.week / probes).toFixed(2).padStart(21)}   ${(lookup.plain / probes).toFixed(2).padStart(14)}`,
    );
  }
} finally {
  await db.close();
  await server.stop();
}
