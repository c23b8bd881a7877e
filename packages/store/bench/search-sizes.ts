import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '../src/database';
import { migrateStore } from '../src/migrate-store';
import { searchDocuments } from '../src/search-documents';
import type { SearchParams } from '../src/search-types';
import { headlineWords, readHeadlines, seededPicker } from './headline-sampler';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, '../../../../shared/datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');
const urls = process.argv.slice(2).filter((arg) => arg.startsWith('postgres'));
const queriesIndex = process.argv.indexOf('--queries');
const queryCount = queriesIndex > 0 ? Number(process.argv[queriesIndex + 1]) : 300;
if (urls.length === 0) {
  console.log('skipped: give the URLs of databases loaded by bench:search');
  process.exit(0);
}

const pick = seededPicker(13);
const titles = readHeadlines(corpus);
const words = () => headlineWords(pick, titles);

const databases: { db: Database; documents: number; sources: string[] }[] = [];
for (const url of urls) {
  const db = await openDatabase({ url, maxConnections: 4 });
  await migrateStore(db);
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM documents');
  const { rows: sources } = await db.query<{ source: string }>(
    'SELECT DISTINCT source FROM documents TABLESAMPLE SYSTEM (1) WHERE source IS NOT NULL LIMIT 100',
  );
  databases.push({ db, documents: Number(rows[0]!.count), sources: sources.map((row) => row.source) });
}
// The web search page's call (facets, one per story) and the JSON route's common shapes.
const kinds: [string, (sources: string[]) => SearchParams][] = [
  ['word (page: facets, one per story)', () => ({ q: pick(words()), facets: true, onePerStory: true })],
  ['word', () => ({ q: pick(words()) })],
  ['two words', () => ({ q: words().slice(0, 2).join(' ') })],
  ['phrase', () => ({ q: `"${words().slice(0, 2).join(' ')}"` })],
  ['word + source', (sources) => ({ q: pick(words()), source: pick(sources) })],
  ['no query, newest', () => ({})],
];
const times = new Map<string, number[][]>();
const loads = [loadavg()[0]!];
for (let index = 0; index < queryCount; index++) {
  const [kind, make] = kinds[index % kinds.length]!;
  // One set of parameters for every size (sources from the first), the order rotating.
  const params = make(databases[0]!.sources);
  const entry = times.get(kind) ?? databases.map(() => []);
  for (let turn = 0; turn < databases.length; turn++) {
    const at = (index + turn) % databases.length;
    const started = performance.now();
    await searchDocuments(databases[at]!.db, params);
    entry[at]!.push(performance.now() - started);
  }
  times.set(kind, entry);
}
loads.push(loadavg()[0]!);
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
console.log(
  `\n${queryCount} queries on each index, load average ${loads.map((load) => load.toFixed(1)).join(' → ')} (goal p95 < 100 ms)`,
);
console.log(`${''.padEnd(36)}${databases.map((d) => `${d.documents} documents`.padEnd(30)).join('')}`);
const all = databases.map(() => [] as number[]);
for (const [kind, entry] of times) {
  for (const [at, values] of entry.entries()) all[at]!.push(...values);
  console.log(
    `${kind.padEnd(36)}${entry.map((values) => `p50 ${percentile(values, 50).toFixed(1).padStart(6)} p95 ${percentile(values, 95).toFixed(1).padStart(6)} ms    `).join('')}`,
  );
}
console.log(
  `${'all'.padEnd(36)}${all.map((values) => `p50 ${percentile(values, 50).toFixed(1).padStart(6)} p95 ${percentile(values, 95).toFixed(1).padStart(6)} ms    `).join('')}`,
);
for (const { db } of databases) await db.close();
