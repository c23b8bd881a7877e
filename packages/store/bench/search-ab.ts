/**
 * This search code against an earlier commit's, on one loaded index, taking turns per query
 * (A, B, B, A...) so load changes do not bias the comparison. The queries are the web search
 * page's: one title word with facets and one result per story, like bench:pages.
 * Usage: TEST_DATABASE_URL=postgres://... npx tsx packages/store/bench/search-ab.ts --baseline REV [--queries N]
 * (the database loaded by bench:search, e.g. with `--reuse`).
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/database';
import { searchDocuments } from '../src/search-documents';
import type { SearchParams } from '../src/search-types';
import { headlineWords, readHeadlines, seededPicker } from './headline-sampler';

const here = dirname(fileURLToPath(import.meta.url));
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const url = process.env.TEST_DATABASE_URL;
const baseline = argument('baseline');
if (!url || !baseline) {
  console.log('skipped: needs TEST_DATABASE_URL (a loaded bench:search database) and --baseline REV');
  process.exit(0);
}
const queryCount = Number(argument('queries') ?? 200);
const corpus = join(here, '../../../../shared/datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');

// The earlier search code, its imports pointed back at this tree's modules.
const source = execFileSync('git', ['show', `${baseline}:packages/store/src/search-documents.ts`], {
  cwd: here,
  encoding: 'utf8',
}).replaceAll("from './", "from '../src/");
const baselineFile = join(here, `baseline-search-${process.pid}.ts`);
writeFileSync(baselineFile, source);
try {
  const earlier = (await import(baselineFile)) as { searchDocuments: typeof searchDocuments };
  const pick = seededPicker(7);
  const titles = readHeadlines(corpus);
  const db = await openDatabase({ url, maxConnections: 4 });
  const times = { baseline: [] as number[], current: [] as number[] };
  let samePage = 0;
  const loads = [loadavg()[0]!];
  for (let index = 0; index < queryCount; index++) {
    const word = pick(headlineWords(pick, titles));
    const params: SearchParams = { q: word, facets: true, onePerStory: true };
    const order = index % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
    const pages: Record<string, string> = {};
    for (const side of order) {
      const started = performance.now();
      const result = await (side === 'baseline' ? earlier.searchDocuments : searchDocuments)(db, params);
      times[side].push(performance.now() - started);
      pages[side] = result.hits.map((hit) => hit.id).join();
    }
    if (pages.baseline === pages.current) samePage++;
  }
  loads.push(loadavg()[0]!);
  const percentile = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
  const line = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms`;
  console.log(
    `one-word searches with facets and one per story, ${queryCount} each, load average ${loads.map((l) => l.toFixed(1)).join(' → ')}`,
  );
  console.log(`  baseline ${baseline}: ${line(times.baseline)}`);
  console.log(`  this tree:  ${line(times.current)}`);
  console.log(`  same first page of hits: ${samePage} of ${queryCount}`);
  await db.close();
} finally {
  rmSync(baselineFile, { force: true });
}
