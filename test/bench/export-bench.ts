/**
 * bench:export — GET /export (keyset batches, streamed as the client reads) against the same
 * documents exported the naive way (one statement, the whole result buffered, then sent), on
 * a real PostgreSQL, over HTTP. Runs alternate between the two; each is run over all documents
 * and over half of them, to show whether memory grows with the export's size.
 *
 * Then what the export's `changed_at` triggers cost indexing: batches of 100 new documents
 * indexed alternately with the triggers enabled and disabled, on the same database.
 *
 *   npm run bench:export -- [--documents 20000] [--words 500] [--index-batches 20]
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { exportRoutes } from '@sluice/api';
import { DocumentStore, exportedDocumentSql, migrateStore, openDatabase } from '@sluice/store';
import { startPostgres } from '@sluice/testkit';
import Fastify from 'fastify';
import { request } from 'undici';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '20000' },
    words: { type: 'string', default: '500' },
    'index-batches': { type: 'string', default: '20' },
  },
});
const N = Number(values.documents);
const WORDS = Number(values.words);
const VOCABULARY =
  'harbour council budget storm ferry election turnout minister river bridge pier vote'.split(' ');

const postgres = await startPostgres();
const db = await openDatabase({ url: postgres.url });
await migrateStore(db);
// Distinct texts of about WORDS words; event times one second apart, so `from` halves the set.
await db.query(
  `INSERT INTO documents (id, url, source, title, text, lang, ts_config, fetched_at, extracted_at, event_at,
     body_hash, content_hash, search_vector)
   SELECT lpad(to_hex(g), 32, '0'), 'https://bench.sluice.invalid/' || g, 'bench.example', 'Bench document ' || g,
     (SELECT string_agg(($3::text[])[1 + (g * 7 + k * 13) % array_length($3::text[], 1)], ' ')
        FROM generate_series(1, $2) AS k),
     'en', 'english', now(), now(), timestamp '2026-01-01' + g * interval '1 second', md5(g::text), md5(g::text),
     ''::tsvector
   FROM generate_series(1, $1) AS g`,
  [N, WORDS, VOCABULARY],
);
const half = new Date(Date.parse('2026-01-01T00:00:00Z') + (N / 2) * 1000).toISOString();

const app = Fastify();
await exportRoutes(app, { db } as Parameters<typeof exportRoutes>[1]);
// The naive peer: one statement for the whole result, held in memory, then sent.
app.get('/export-buffered', async (req, reply) => {
  const from = (req.query as { from?: string }).from;
  const { rows } = await db.query<{ line: string }>(
    `SELECT ${exportedDocumentSql} AS line FROM documents d
     WHERE d.duplicate_of IS NULL ${from ? 'AND d.event_at >= $1' : ''} ORDER BY d.changed_at, d.id`,
    from ? [from] : [],
  );
  reply.header('content-type', 'application/x-ndjson');
  return reply.send(rows.map((row) => `${row.line}\n`).join(''));
});
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

interface Run {
  docs: number;
  seconds: number;
  bytes: number;
  peakMb: number;
}

async function run(path: string): Promise<Run> {
  gc?.();
  const before = memory();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memory());
  }, 5);
  const started = performance.now();
  const response = await request(`${base}${path}`);
  let docs = 0;
  let bytes = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) docs += 1;
    peak = Math.max(peak, memory());
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { docs, seconds, bytes, peakMb: (peak - before) / 2 ** 20 };
}

const configs = [
  { name: 'streamed, all', path: '/export' },
  { name: 'buffered, all', path: '/export-buffered' },
  { name: 'streamed, half', path: `/export?from=${half}` },
  { name: 'buffered, half', path: `/export-buffered?from=${half}` },
];
const results = new Map<string, Run[]>(configs.map((config) => [config.name, []]));
await run('/export'); // warm-up: plans, connections
for (let round = 0; round < 2; round++) {
  // Alternate the order each round so neither side always runs on a warmer cache.
  const order = round % 2 === 0 ? configs : [...configs].reverse();
  for (const config of order) results.get(config.name)!.push(await run(config.path));
}

console.log(
  `\nbench:export — ${N} documents of ~${WORDS} words on PostgreSQL (${postgres.kind}), over HTTP, 2 rounds each${gc ? '' : ' (no --expose-gc: memory figures are noisier)'}\n`,
);
console.log('| export | documents | MB sent | docs/s | MB/s | peak heap + buffers above start |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const config of configs) {
  const runs = results.get(config.name)!;
  const docs = runs[0]!.docs;
  const seconds = runs.reduce((sum, entry) => sum + entry.seconds, 0) / runs.length;
  const mb = runs[0]!.bytes / 2 ** 20;
  const peak = Math.max(...runs.map((entry) => entry.peakMb));
  console.log(
    `| ${config.name} | ${docs} | ${mb.toFixed(1)} | ${Math.round(docs / seconds)} | ${(mb / seconds).toFixed(1)} | ${peak.toFixed(1)} MB |`,
  );
}

// The triggers' cost on indexing, alternating batches with and without them.
const store = new DocumentStore(db);
const timings = { with: [] as number[], without: [] as number[] };
const batches = Number(values['index-batches']);
for (let batch = 0; batch < batches; batch++) {
  const triggers = batch % 2 === 0 ? 'with' : 'without';
  await db.query(`ALTER TABLE documents ${triggers === 'with' ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
  const docs = Array.from({ length: 100 }, (_, k) => {
    const n = 10_000_000 + batch * 100 + k;
    return {
      id: n.toString(16).padStart(32, '0'),
      url: `https://index.bench.invalid/${n}`,
      source: 'bench.example',
      title: `Indexed ${n} ${VOCABULARY[n % VOCABULARY.length]}`,
      text:
        Array.from({ length: 200 }, (_, w) => VOCABULARY[(n * 3 + w * 7) % VOCABULARY.length]).join(' ') +
        ` ${n}`,
      lang: 'en',
      authors: [],
      entities: [],
      quotes: [],
      keywords: [],
      fetchedAt: '2026-11-21T08:00:00Z',
      extractedAt: '2026-11-21T08:00:00Z',
    };
  });
  const started = performance.now();
  await store.indexDocuments(docs);
  timings[triggers].push(performance.now() - started);
}
await db.query('ALTER TABLE documents ENABLE TRIGGER USER');
const rate = (ms: number[]) =>
  Math.round((ms.length * 100) / (ms.reduce((sum, value) => sum + value, 0) / 1000));
console.log(
  `\nindexing, batches of 100, ${batches / 2} each way alternating: with changed_at triggers ${rate(timings.with)} docs/s, without ${rate(timings.without)} docs/s`,
);
await app.close();
await db.close();
await postgres.stop();
