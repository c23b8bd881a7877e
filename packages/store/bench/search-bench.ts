/**
 * Search latency on a 100,000-document index in a real PostgreSQL server, and indexing throughput
 * through DocumentStore (dedup + stories + entities). Titles are UCI News headlines (March 2014),
 * bodies are composed from headline vocabulary. Usage: npm run bench:search [-- --docs N] [-- --queries N]
 * [-- --indexed N] [-- --singles N] [-- --reuse] [-- --pending-ab] [-- --slow]
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractedDocument } from '@sluice/contracts';
import { startPostgres } from '@sluice/testkit';
import { openDatabase } from '../src/database';
import { DocumentStore } from '../src/document-store';
import { migrateStore } from '../src/migrate-store';
import type { SearchParams } from '../src/search-types';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, '../../../../shared/datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');
if (!existsSync(file)) {
  console.log(`skipped: ${file} is not there`);
  process.exit(0);
}
const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const totalDocs = option('docs', 100_000);
const queryCount = option('queries', 400);
const indexedDocs = option('indexed', 3000);
const singleDocs = option('singles', 300);
const flag = (name: string) => process.argv.includes(`--${name}`);
/** `--reuse`: keep an already-loaded corpus (TEST_DATABASE_URL pointing at a bench database). */
const reuse = flag('reuse');

// Deterministic pseudo-random numbers, so runs compare.
let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [id, title, url, publisher, , story, , timestamp] = line.split('\t');
    return {
      id: id!,
      title: title!,
      url: url!,
      publisher: publisher!,
      story: story!,
      time: Number(timestamp),
    };
  });
const vocabulary = [...new Set(rows.flatMap((row) => row.title.toLowerCase().match(/[a-z]{4,}/g) ?? []))];
const entityNames = Array.from(
  { length: 300 },
  (_, index) => `${pick(vocabulary)} ${pick(vocabulary)} ${index}`,
);
const sources = [...new Set(rows.map((row) => row.publisher))].slice(0, 400);

function makeDocument(index: number): ExtractedDocument & { story: string } {
  const row = rows[index % rows.length]!;
  const round = Math.floor(index / rows.length);
  const sentences = Array.from({ length: 12 }, () => {
    const words = Array.from({ length: 14 }, () => pick(vocabulary));
    return `${words.join(' ')}.`;
  });
  const time = new Date(row.time + round * 86_400_000).toISOString();
  return {
    id: `${index.toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
    url: `${row.url}${round ? `#r${round}` : ''}?v=${index}`,
    canonicalUrl: null,
    source: row.publisher,
    siteName: null,
    title: row.title,
    text: `${row.title}. ${sentences.join(' ')}`,
    description: null,
    byline: null,
    authors: [],
    publishedAt: time,
    modifiedAt: null,
    publishedAtSource: 'bench',
    lang: 'en',
    entities: [0, 1].map(() => ({
      type: 'organization' as const,
      name: pick(entityNames),
      aliases: [],
      mentions: 1,
    })),
    quotes: [],
    keywords: [],
    summary: null,
    fingerprints: null,
    fetchedAt: time,
    extractedAt: time,
    story: `${row.story}-${round}`,
  };
}

const server = await startPostgres();
const db = await openDatabase({ url: server.url, maxConnections: 4 });
try {
  await migrateStore(db);
  await db.query(`INSERT INTO search_configs VALUES ('english') ON CONFLICT DO NOTHING`);
  const loadStarted = performance.now();
  const batchSize = 1000;
  const { rows: loaded } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM documents');
  // `--reuse` keeps what is loaded and adds the rest, so one database can grow step by step.
  const already = reuse ? Number(loaded[0]?.count) : 0;
  const skipLoad = already >= totalDocs;
  if (reuse && already > 0) console.log(`reusing the ${already} documents already loaded`);
  for (let offset = already; offset < totalDocs; offset += batchSize) {
    const docs = Array.from({ length: Math.min(batchSize, totalDocs - offset) }, (_, k) =>
      makeDocument(offset + k),
    );
    // Bulk load without per-document dedup and story scoring: this builds the corpus to query.
    const links = docs.flatMap((doc) => doc.entities.map((entity) => [doc.id, entity.name] as const));
    await db.query(
      `INSERT INTO entities (type, name, key) SELECT DISTINCT 'organization', n, 'organization:' || n FROM unnest($1::text[]) n
       ON CONFLICT (key) DO NOTHING`,
      [links.map(([, name]) => name)],
    );
    await db.query(
      `INSERT INTO documents (id, url, source, title, text, lang, ts_config, published_at, fetched_at, extracted_at,
         event_at, body_hash, content_hash, story_id, sources, entity_ids, search_vector)
       SELECT id, url, source, title, text, 'en', 'english', t::timestamptz, t::timestamptz, t::timestamptz,
         t::timestamptz, md5(text), md5(text), story, ARRAY[source],
         ARRAY(SELECT e.id FROM entities e WHERE e.key IN ('organization:' || e1, 'organization:' || e2) ORDER BY e.id),
         setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', text), 'B')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[]) AS x(id, url, source, title, text, t, story, e1, e2)`,
      [
        docs.map((doc) => doc.id),
        docs.map((doc) => doc.url),
        docs.map((doc) => doc.source),
        docs.map((doc) => doc.title),
        docs.map((doc) => doc.text),
        docs.map((doc) => doc.publishedAt),
        docs.map((doc) => doc.story),
        docs.map((doc) => doc.entities[0]!.name),
        docs.map((doc) => doc.entities[1]!.name),
      ],
    );
    await db.query(
      `INSERT INTO document_entities (document_id, entity_id, mentions)
       SELECT l.id, e.id, 1 FROM unnest($1::text[], $2::text[]) AS l(id, name) JOIN entities e ON e.key = 'organization:' || l.name
       ON CONFLICT DO NOTHING`,
      [links.map(([id]) => id), links.map(([, name]) => name)],
    );
  }
  if (!skipLoad) await db.query('ANALYZE');
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  if (!skipLoad)
    console.log(
      `bulk load: ${totalDocs - already} documents in ${loadSeconds.toFixed(1)} s (${Math.round((totalDocs - already) / loadSeconds)} docs/s)`,
    );
  // Disk per document: the documents table with its indexes and TOAST, and every table the index writes.
  const { rows: disk } = await db.query<{ documents: string; all: string; count: string }>(
    `SELECT pg_total_relation_size('documents') AS documents,
       (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r') AS all,
       (SELECT count(*) FROM documents) AS count`,
  );
  const diskCount = Number(disk[0]!.count);
  const kb = (bytes: string) => (Number(bytes) / diskCount / 1024).toFixed(1);
  console.log(
    `disk: ${diskCount} documents, ${(Number(disk[0]!.all) / 2 ** 30).toFixed(2)} GiB in all; per document ${kb(disk[0]!.documents)} KiB (documents table with indexes and TOAST), ${kb(disk[0]!.all)} KiB (every table)`,
  );

  const store = new DocumentStore(db);
  const { rows: entityRows } = await db.query<{ id: string }>('SELECT id::text AS id FROM entities LIMIT 50');
  const words = () =>
    pick(rows)
      .title.toLowerCase()
      .match(/[a-z]{5,}/g) ?? ['market'];
  const queryKinds: [string, () => SearchParams][] = [
    ['word', () => ({ q: pick(words()) })],
    ['two words', () => ({ q: words().slice(0, 2).join(' ') })],
    ['phrase', () => ({ q: `"${words().slice(0, 2).join(' ')}"` })],
    ['exclusion', () => ({ q: `${pick(words())} -${pick(vocabulary)}` })],
    ['word + source', () => ({ q: pick(words()), source: pick(sources) })],
    ['word + dates', () => ({ q: pick(words()), from: '2014-03-15', to: '2014-03-20' })],
    ['word + facets', () => ({ q: pick(words()), facets: true })],
    ['word + entity', () => ({ q: pick(words()), entity: pick(entityRows).id })],
    ['word + one per story', () => ({ q: pick(words()), onePerStory: true })],
    ['no query, newest', () => ({})],
  ];
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  for (let index = 0; index < queryCount; index += 1) {
    const [kind, make] = queryKinds[index % queryKinds.length]!;
    const params = make();
    const started = performance.now();
    await store.search(params);
    const elapsed = performance.now() - started;
    latencies.push(elapsed);
    if (flag('slow') && elapsed > 40)
      console.log(`slow ${elapsed.toFixed(0)} ms ${kind} ${JSON.stringify(params)}`);
    byKind.set(kind, [...(byKind.get(kind) ?? []), elapsed]);
  }
  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  };
  if (queryCount > 0)
    console.log(
      `search over ${totalDocs} documents, ${queryCount} queries: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
  for (const [kind, values] of byKind) {
    console.log(
      `  ${kind.padEnd(22)} p50 ${percentile(values, 50).toFixed(1)} ms  p95 ${percentile(values, 95).toFixed(1)} ms`,
    );
  }

  // Indexing through the real path: dedup, entities and story assignment, batches of 100.
  const fresh = Array.from({ length: indexedDocs }, (_, index) => {
    const { story: _story, ...doc } = makeDocument(totalDocs + index);
    return doc;
  });
  // `--pending-ab`: batches take turns between PostgreSQL's default 4 MB GIN pending list and a
  // 256 kB one (every search reads the whole list), to price the smaller list on the write path.
  const pendingAb = flag('pending-ab');
  const pendingSeconds = { 4096: 0, 256: 0 };
  const indexStarted = performance.now();
  for (let offset = 0; offset < fresh.length; offset += 100) {
    const limit = (offset / 100) % 2 === 0 ? 4096 : 256;
    if (pendingAb)
      for (const index of [
        'documents_search_vector_idx',
        'documents_sources_idx',
        'documents_entity_ids_idx',
      ])
        await db.query(`ALTER INDEX ${index} SET (gin_pending_list_limit = ${limit})`);
    const started = performance.now();
    await store.indexDocuments(fresh.slice(offset, offset + 100));
    pendingSeconds[limit] += (performance.now() - started) / 1000;
  }
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  if (pendingAb) {
    const half = indexedDocs / 2;
    console.log(
      `GIN pending list, alternate batches: 4 MB ${Math.round(half / pendingSeconds[4096])} docs/s, 256 kB ${Math.round(half / pendingSeconds[256])} docs/s`,
    );
    for (const index of ['documents_search_vector_idx', 'documents_sources_idx', 'documents_entity_ids_idx'])
      await db.query(`ALTER INDEX ${index} RESET (gin_pending_list_limit)`);
  }
  if (indexedDocs > 0)
    console.log(
      `indexing via DocumentStore.indexDocuments (batches of 100): ${indexedDocs} documents in ${indexSeconds.toFixed(1)} s = ${Math.round(indexedDocs / indexSeconds)} docs/s`,
    );
  const singleStarted = performance.now();
  const singles = Array.from({ length: singleDocs }, (_, index) => {
    const { story: _story, ...doc } = makeDocument(totalDocs + indexedDocs + index);
    return doc;
  });
  for (const doc of singles) await store.indexDocument(doc);
  const singleSeconds = (performance.now() - singleStarted) / 1000;
  if (singleDocs > 0)
    console.log(
      `indexing one document per transaction: ${Math.round(singles.length / singleSeconds)} docs/s`,
    );
} finally {
  await db.close();
  await server.stop();
}
