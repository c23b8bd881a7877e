/**
 * Does partitioning the documents table by time pay? Copies the search benchmark's corpus into two
 * tables with the columns and indexes search reads, one plain and one partitioned by week on
 * `event_at`, then times the same statements on both, taking turns (A, B, B, A...) so load changes
 * do not bias the ratio: copying in (ingest), the search's two statement shapes, a document by id,
 * a story's documents, the newest listing, and retention (delete vs drop a week).
 * Usage: npm run bench:partition [-- --docs N] [-- --samples N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@sluice/testkit';
import { openDatabase } from '../src/database';
import { seededPicker } from './headline-sampler';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const corpus = join(root, '../shared/datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');
if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is not there`);
  process.exit(0);
}
const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const totalDocs = option('docs', 100_000);
const samples = option('samples', 200);
const load = () => loadavg()[0]!.toFixed(1);

const pick = seededPicker(5);

const server = await startPostgres();
try {
  const loaded = spawnSync(
    'npx',
    ['tsx', 'packages/store/bench/search-bench.ts', '--docs', String(totalDocs), '--queries', '0'].concat([
      '--indexed',
      '0',
      '--singles',
      '0',
      '--reuse',
    ]),
    { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: server.url } },
  );
  if (loaded.status !== 0) throw new Error('the search benchmark could not load its corpus');
  const db = await openDatabase({ url: server.url, maxConnections: 2 });
  const columns = `id text NOT NULL, story_id text, event_at timestamptz NOT NULL, source text, lang text,
    ts_config regconfig NOT NULL, duplicate_of text, entity_ids bigint[] NOT NULL, title text, text text NOT NULL,
    search_vector tsvector NOT NULL`;
  const { rows: range } = await db.query<{ first: Date; last: Date }>(
    `SELECT date_trunc('week', min(event_at)) AS first, max(event_at) AS last FROM documents`,
  );
  const first = new Date(range[0]!.first).getTime();
  const last = new Date(range[0]!.last).getTime();
  const week = 7 * 86_400_000;
  await db.query('DROP TABLE IF EXISTS bench_flat, bench_part');
  await db.query(`CREATE TABLE bench_flat (${columns}, PRIMARY KEY (id))`);
  // A partitioned table's primary key must hold the partition key: ids are unique per week only.
  await db.query(
    `CREATE TABLE bench_part (${columns}, PRIMARY KEY (id, event_at)) PARTITION BY RANGE (event_at)`,
  );
  const weeks: number[] = [];
  for (let start = first; start <= last; start += week) weeks.push(start);
  for (const start of weeks)
    await db.query(
      `CREATE TABLE bench_part_${weeks.indexOf(start)} PARTITION OF bench_part
       FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(start + week).toISOString()}')`,
    );
  for (const table of ['bench_flat', 'bench_part']) {
    await db.query(`CREATE INDEX ON ${table} USING GIN (search_vector)`);
    await db.query(`CREATE INDEX ON ${table} (event_at DESC)`);
    await db.query(`CREATE INDEX ON ${table} (story_id, event_at)`);
  }

  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  };
  const times = new Map<string, { flat: number[]; part: number[] }>();
  const timed = async (kind: string, table: 'flat' | 'part', run: (name: string) => Promise<unknown>) => {
    const started = performance.now();
    await run(`bench_${table}`);
    const entry = times.get(kind) ?? { flat: [], part: [] };
    entry[table].push(performance.now() - started);
    times.set(kind, entry);
  };
  /** Runs `run` on both tables, the order alternating per call. */
  let turn = 0;
  const both = async (kind: string, run: (name: string) => Promise<unknown>) => {
    const order: ('flat' | 'part')[] = turn++ % 2 === 0 ? ['flat', 'part'] : ['part', 'flat'];
    for (const table of order) await timed(kind, table, run);
  };

  // Ingest: the corpus in time order, 2,000 rows a statement, into each table in turn.
  const loadsStarted = load();
  const { rows: counted } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM documents');
  const total = Number(counted[0]!.count);
  const batch = 2000;
  const { rows: ids } = await db.query<{ id: string }>('SELECT id FROM documents ORDER BY event_at, id');
  for (let offset = 0; offset < total; offset += batch) {
    const slice = ids.slice(offset, offset + batch).map((row) => row.id);
    await both('ingest (2,000 rows)', (table) =>
      db.query(
        `INSERT INTO ${table} SELECT id, story_id, event_at, source, lang, ts_config, duplicate_of, entity_ids, title, text,
           search_vector FROM documents WHERE id = ANY($1::text[])`,
        [slice],
      ),
    );
  }
  await db.query('VACUUM ANALYZE bench_flat');
  await db.query('VACUUM ANALYZE bench_part');
  const { rows: sizes } = await db.query<{ flat: string; part: string }>(
    `SELECT pg_total_relation_size('bench_flat') AS flat,
       (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'bench_part'::regclass) AS part`,
  );

  const { rows: wordRows } = await db.query<{ word: string }>(
    `SELECT word FROM ts_stat('SELECT to_tsvector(''english'', title) FROM documents TABLESAMPLE SYSTEM (2)')
     WHERE length(word) >= 5 ORDER BY ndoc DESC LIMIT 300`,
  );
  const { rows: storyRows } = await db.query<{ story_id: string }>(
    'SELECT story_id FROM documents TABLESAMPLE SYSTEM (1) WHERE story_id IS NOT NULL LIMIT 300',
  );
  const sampleIds = ids.filter((_, index) => index % 97 === 0).map((row) => row.id);
  const newestWeek = new Date(last - week).toISOString();
  const kinds: [string, (table: string) => Promise<unknown>][] = [
    [
      // The search's window: the newest matches of a word in the last week, the best 20 of them.
      'word, last week ranked',
      (table) =>
        db.query(
          `SELECT id FROM (SELECT id, ts_rank(search_vector, q) AS r FROM ${table}, to_tsquery('english', $1) q
             WHERE search_vector @@ q AND event_at >= $2 ORDER BY event_at DESC LIMIT 300) s ORDER BY r DESC LIMIT 20`,
          [pick(wordRows).word, newestWeek],
        ),
    ],
    [
      // The search's probe: up to 401 matches anywhere.
      'word, probe 401',
      (table) =>
        db.query(
          `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE search_vector @@ to_tsquery('english', $1) LIMIT 401) s`,
          [pick(wordRows).word],
        ),
    ],
    ['document by id', (table) => db.query(`SELECT title FROM ${table} WHERE id = $1`, [pick(sampleIds)])],
    [
      'story documents',
      (table) =>
        db.query(`SELECT id, title FROM ${table} WHERE story_id = $1 ORDER BY event_at`, [
          pick(storyRows).story_id,
        ]),
    ],
    ['newest 20', (table) => db.query(`SELECT id, title FROM ${table} ORDER BY event_at DESC LIMIT 20`)],
  ];
  for (const [kind, run] of kinds) for (let warm = 0; warm < 3; warm++) await both(`warm ${kind}`, run);
  const queriesStarted = load();
  for (let index = 0; index < samples; index++) {
    const [kind, run] = kinds[index % kinds.length]!;
    await both(kind, run);
  }
  // Retention: the oldest week, deleted from the plain table, dropped as a partition.
  await timed('retention: oldest week', 'flat', (table) =>
    db.query(`DELETE FROM ${table} WHERE event_at < $1`, [new Date(weeks[0]! + week).toISOString()]),
  );
  await timed('retention: oldest week', 'part', () => db.query('DROP TABLE bench_part_0'));

  console.log(
    `\n${total} documents, ${weeks.length} weekly partitions; load average ${loadsStarted} at the copy, ${queriesStarted} at the queries, ${load()} at the end`,
  );
  console.log(
    `disk: plain ${(Number(sizes[0]!.flat) / 2 ** 20).toFixed(0)} MiB, partitioned ${(Number(sizes[0]!.part) / 2 ** 20).toFixed(0)} MiB`,
  );
  for (const [kind, entry] of times) {
    if (kind.startsWith('warm')) continue;
    const line = (values: number[]) =>
      `p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(values, 95).toFixed(1).padStart(7)} ms`;
    const ratio = percentile(entry.part, 50) / percentile(entry.flat, 50);
    console.log(
      `${kind.padEnd(24)} plain ${line(entry.flat)}   | partitioned ${line(entry.part)}   (p50 ratio ${ratio.toFixed(2)}, ${entry.flat.length} each)`,
    );
  }
  await db.query('DROP TABLE IF EXISTS bench_flat, bench_part');
  await db.close();
} finally {
  await server.stop();
}
