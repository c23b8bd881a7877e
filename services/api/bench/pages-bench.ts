/**
 * Server time of the web pages on the search benchmark's 100,000-document index, beside the
 * JSON routes that serve the same data (the baseline), alternating page and JSON per sample.
 * The corpus is loaded by packages/store/bench/search-bench.ts itself (`--reuse`), then given
 * story rows (its bulk load writes story ids only). Server time is Fastify's `reply.elapsedTime`
 * for requests made with `inject` (no network).
 * Usage: npm run bench:pages [-- --docs N] [-- --samples N] [-- --story-sample N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@sluice/logger';
import { openDatabase } from '@sluice/store';
import { startPostgres, startRedis } from '@sluice/testkit';
import { createProducerConnection, createQueues } from '@sluice/worker-runtime';
import { buildApp } from '../src/app';
import { apiEnvSchema } from '../src/config';

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
const samples = option('samples', 300);
/**
 * `--story-sample N`: give story rows to N stories only (their documents' ids rewritten), where
 * rewriting every row would take too long (a million documents). 0: every story.
 */
const storySample = option('story-sample', 0);

let seed = 7;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const titles = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t')[1] ?? '');
const words = () =>
  pick(titles)
    .toLowerCase()
    .match(/[a-z]{5,}/g) ?? ['market'];

const postgres = await startPostgres();
const redis = await startRedis();
try {
  // The search benchmark's own loader builds (or keeps) the index on this server.
  const load = spawnSync(
    'npx',
    [
      'tsx',
      'packages/store/bench/search-bench.ts',
      '--docs',
      String(totalDocs),
      '--queries',
      '0',
      '--indexed',
      '0',
      '--singles',
      '0',
      '--reuse',
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: postgres.url } },
  );
  if (load.status !== 0) throw new Error('the search benchmark could not load its corpus');

  const db = await openDatabase({ url: postgres.url, maxConnections: 4 });
  const prepared = Date.now();
  const { rows: existing } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM stories');
  if (Number(existing[0]?.count) === 0) {
    // Story ids as the index writes them (32 hex digits) and one story row per group.
    const sampled = storySample
      ? `AND story_id IN (SELECT story_id FROM documents TABLESAMPLE SYSTEM (1) WHERE story_id IS NOT NULL LIMIT ${storySample})`
      : '';
    await db.query(
      `UPDATE documents SET story_id = md5(story_id) WHERE story_id !~ '^[0-9a-f]{32}$' ${sampled}`,
    );
    await db.query(`
      INSERT INTO stories (id, headline, headline_document_id, first_seen_at, last_seen_at, document_count, sources, entity_counts)
      SELECT d.story_id, (array_agg(d.title ORDER BY d.event_at))[1], (array_agg(d.id ORDER BY d.event_at))[1],
        min(d.event_at), max(d.event_at), count(*)::int, array_agg(DISTINCT d.source),
        coalesce((SELECT jsonb_object_agg(key, n) FROM (
           SELECT e.key, count(*) AS n FROM documents m CROSS JOIN LATERAL unnest(m.entity_ids) AS eid
           JOIN entities e ON e.id = eid WHERE m.story_id = d.story_id GROUP BY e.key) c), '{}')
      FROM documents d WHERE d.story_id ~ '^[0-9a-f]{32}$' GROUP BY d.story_id
      ON CONFLICT (id) DO NOTHING`);
    // An update of every row: vacuum now, as autovacuum would soon, so the timings neither read
    // every match twice (dead versions in the heap and the GIN index) nor race the vacuum.
    if (!storySample) await db.query('VACUUM (ANALYZE) documents');
    await db.query('ANALYZE');
  } else console.log('reusing the story rows already made');
  const { rows: storyRows } = await db.query<{ id: string; document_count: number }>(
    'SELECT id, document_count FROM stories ORDER BY random() LIMIT 500',
  );
  const { rows: sourceRows } = await db.query<{ source: string }>(
    'SELECT DISTINCT source FROM documents WHERE source IS NOT NULL LIMIT 200',
  );
  console.log(`stories ready in ${((Date.now() - prepared) / 1000).toFixed(1)} s`);

  const connection = createProducerConnection(redis.url, 'pages-bench');
  const logger = createLogger({ name: 'pages-bench', level: 'silent', pretty: false });
  const config = apiEnvSchema.parse({ HOST: '127.0.0.1', PORT: '0' });
  const app = await buildApp({ db, queues: createQueues(connection), redis: connection, logger }, config);
  const serverTimes = new Map<string, number>();
  app.addHook('onResponse', async (request, reply) => {
    serverTimes.set(request.id, reply.elapsedTime);
  });
  await app.ready();

  const measure = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200)
      throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
    // inject gives each request an id; the newest entry is this request's.
    const last = [...serverTimes.values()].at(-1)!;
    serverTimes.clear();
    return last;
  };

  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  // Each kind: the page, and the JSON route that serves the same data.
  const kinds: [string, () => [string, string]][] = [
    [
      'search: word',
      () => {
        const w = pick(words());
        return [`/?${q({ q: w })}`, `/search?${q({ q: w, facets: '1', onePerStory: '1' })}`];
      },
    ],
    [
      'search: two words',
      () => {
        const w = words().slice(0, 2).join(' ');
        return [`/?${q({ q: w })}`, `/search?${q({ q: w, facets: '1', onePerStory: '1' })}`];
      },
    ],
    [
      'search: phrase',
      () => {
        const w = `"${words().slice(0, 2).join(' ')}"`;
        return [`/?${q({ q: w })}`, `/search?${q({ q: w, facets: '1', onePerStory: '1' })}`];
      },
    ],
    [
      'search: word + source',
      () => {
        const w = pick(words());
        const s = pick(sourceRows).source;
        return [
          `/?${q({ q: w, source: s })}`,
          `/search?${q({ q: w, source: s, facets: '1', onePerStory: '1' })}`,
        ];
      },
    ],
    ['search: no query', () => ['/', '/search']],
    [
      'story page',
      () => {
        const id = pick(storyRows).id;
        return [`/web/stories/${id}`, `/stories/${id}`];
      },
    ],
    ['stories list', () => ['/web/stories', '/stories?limit=30']],
  ];
  for (const [, make] of kinds)
    for (let warm = 0; warm < 3; warm++) for (const url of make()) await measure(url);

  const times = new Map<string, { page: number[]; json: number[] }>();
  for (let index = 0; index < samples; index++) {
    const [kind, make] = kinds[index % kinds.length]!;
    const [page, json] = make();
    const entry = times.get(kind) ?? { page: [], json: [] };
    // Alternate which goes first, so neither always meets a warmer cache.
    if (index % 2 === 0) {
      entry.page.push(await measure(page));
      entry.json.push(await measure(json));
    } else {
      entry.json.push(await measure(json));
      entry.page.push(await measure(page));
    }
    times.set(kind, entry);
  }
  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  };
  const all = (filter: (kind: string) => boolean, side: 'page' | 'json') =>
    [...times.entries()].filter(([kind]) => filter(kind)).flatMap(([, entry]) => entry[side]);
  const line = (label: string, page: number[], json: number[]) =>
    console.log(
      `${label.padEnd(24)} page p50 ${percentile(page, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(page, 95).toFixed(1).padStart(6)} ms   | JSON p50 ${percentile(json, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(json, 95).toFixed(1).padStart(6)} ms  (${page.length} each)`,
    );
  console.log(
    `\nserver time over ${totalDocs} documents, ${storyRows.length} sampled stories (goal: page p95 < 100 ms)`,
  );
  const isSearch = (kind: string) => kind.startsWith('search');
  line('all search pages', all(isSearch, 'page'), all(isSearch, 'json'));
  line(
    'story pages',
    all((kind) => kind === 'story page', 'page'),
    all((kind) => kind === 'story page', 'json'),
  );
  for (const [kind, entry] of times) line(`  ${kind}`, entry.page, entry.json);
  await app.close();
  connection.disconnect();
  await db.close();
} finally {
  await redis.stop();
  await postgres.stop();
}
