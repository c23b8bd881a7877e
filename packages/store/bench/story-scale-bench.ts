/**
 * Story assignment cost per document as the index grows from 1,000 to 100,000 stories, on a real
 * PostgreSQL server, through the indexer's own `assignStory`. Stories are synthetic (Zipf-drawn
 * stems and entities, about 100 new stories a day, so more stories means a longer history);
 * each probe document is assigned inside a transaction that is rolled back, so the size holds.
 * Usage: npx tsx packages/store/bench/story-scale-bench.ts [--sizes 1000,10000,100000] [--probes 200]
 */
import { startPostgres } from '@sluice/testkit';
import { openDatabase } from '../src/database';
import { migrateStore } from '../src/migrate-store';
import { assignStory } from '../src/story-assignment';

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
    entity_keys: keys,
    entity_counts: profile.entityCounts,
    document_count: profile.documentCount,
    first_seen_at: new Date(profile.firstSeen).toISOString(),
    last_seen_at: new Date(time).toISOString(),
  };
}

const server = await startPostgres();
const db = await openDatabase({ url: server.url });
try {
  await migrateStore(db);
  console.log(`story assignment cost vs index size (real PostgreSQL, ${probes} probe documents per size)`);
  console.log('stories   history(days)   ms/doc (1st half)   ms/doc (2nd half)');
  let loaded = 0;
  for (const size of sizes) {
    while (loaded < size) {
      const chunk = Array.from({ length: Math.min(5000, size - loaded) }, (_, offset) =>
        storyRow(loaded + offset),
      );
      await db.query(
        `INSERT INTO stories (id, profile, terms, entity_keys, entity_counts, document_count, sources, first_seen_at, last_seen_at)
         SELECT x.id, x.profile, ARRAY(SELECT jsonb_array_elements_text(x.terms)),
           ARRAY(SELECT jsonb_array_elements_text(x.entity_keys)), x.entity_counts, x.document_count, '{example.com}',
           x.first_seen_at, x.last_seen_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, profile jsonb, terms jsonb, entity_keys jsonb,
           entity_counts jsonb, document_count int, first_seen_at timestamptz, last_seen_at timestamptz)`,
        [JSON.stringify(chunk)],
      );
      loaded += chunk.length;
    }
    await db.query('ANALYZE stories');
    const halves: number[] = [];
    for (let half = 0; half < 2; half += 1) {
      const started = performance.now();
      for (let probe = 0; probe < probes / 2; probe += 1) {
        const words = stems(14).join(' ');
        await db
          .transaction(async (tx) => {
            await assignStory(tx, {
              documentId: `probe-${probe}`,
              title: words.split(' ').slice(0, 6).join(' '),
              lead: words,
              body: '',
              entities: entities(3).map((key) => ({ type: 'place', name: key.slice(6) })),
              time: NOW - random() * 86_400_000,
              source: 'example.com',
            });
            throw new RollBack();
          })
          .catch((error) => {
            if (!(error instanceof RollBack)) throw error;
          });
      }
      halves.push((performance.now() - started) / (probes / 2));
    }
    console.log(
      `${String(size).padStart(7)}   ${String(Math.round(size / STORIES_PER_DAY)).padStart(13)}   ${halves[0]!.toFixed(2).padStart(17)}   ${halves[1]!.toFixed(2).padStart(17)}`,
    );
  }
} finally {
  await db.close();
  await server.stop();
}
