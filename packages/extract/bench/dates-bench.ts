/**
 * Publication-date accuracy on htmldate-eval (1000 pages with gold dates), scored as htmldate's own
 * evaluation does: no output = FN, right date = TP, wrong date = FP only.
 * Usage: npm run bench:dates [-- --limit N] [--misses]
 *   --misses  for every page not right: gold, ours, the winning signal, and which signals held the gold day
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractDates } from '../src/dates/extract-dates';
import { findDates } from '../src/dates/find-dates';
import { findUrlDate } from '../src/dates/url-date';
import { decodePage, htmlToCleaned, rejected } from './html-input';

const DATASET = new URL('../../../../shared/datasets/htmldate-eval/', import.meta.url).pathname;
const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Number.POSITIVE_INFINITY;
const verbose = process.argv.includes('--verbose');
const misses = process.argv.includes('--misses');

const ymd = (d: { year: number; month: number; day: number }) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** Sources among the hints whose value names the given day. */
function sourcesWithDay(hints: readonly { source: string; value: string }[], day: string): string[] {
  const found = new Set<string>();
  for (const hint of hints) {
    const dates = hint.source === 'url' ? [findUrlDate(hint.value)] : findDates(hint.value, { limit: 3 });
    if (dates.some((d) => d !== null && ymd(d) === day)) found.add(hint.source);
  }
  return [...found];
}

if (!existsSync(`${DATASET}gold.json`)) {
  console.log(`skipped: ${DATASET} is absent`);
  process.exit(0);
}

interface Gold {
  url: string;
  file: string;
  date: string | null;
}
const gold = (JSON.parse(readFileSync(`${DATASET}gold.json`, 'utf8')) as Gold[]).slice(0, limit);
const { via, clean } = await htmlToCleaned();
const fetchedAt = new Date().toISOString();
let tp = 0;
let fp = 0;
let fn = 0;
let cleanMs = 0;
let extractMs = 0;
const sources = new Map<string, [number, number]>();
for (const page of gold) {
  const html = decodePage(gunzipSync(readFileSync(`${DATASET}html/${page.file}.gz`)));
  let t = performance.now();
  const cleaned = clean(html, page.url);
  cleanMs += performance.now() - t;
  t = performance.now();
  const result = extractDates({
    hints: cleaned.dateHints,
    text: cleaned.text,
    url: page.url,
    lang: cleaned.lang,
    fetchedAt,
  });
  extractMs += performance.now() - t;
  const got = result.publishedAt?.slice(0, 10) ?? null;
  const ok = got !== null && got === page.date;
  if (got === null) fn++;
  else if (ok) tp++;
  else fp++;
  if (result.publishedAt && result.publishedAtSource) {
    const key = result.publishedAtSource.replace(/^meta:.*/, 'meta:*');
    const entry = sources.get(key) ?? [0, 0];
    entry[ok ? 0 : 1]++;
    sources.set(key, entry);
  }
  if (verbose && !ok)
    console.log(`${page.file}\tgold=${page.date}\tgot=${got}\t${result.publishedAtSource}\t${page.url}`);
  if (misses && !ok) {
    const held = page.date ? sourcesWithDay(cleaned.dateHints, page.date) : [];
    const inText =
      page.date && findDates(cleaned.text.slice(0, 20_000), { limit: 50 }).some((d) => ymd(d) === page.date);
    console.log(
      `MISS ${page.file}\tgold=${page.date}\tours=${got}\twon=${result.publishedAtSource}\tgold held by: ${held.join(', ') || '-'}${inText ? ' +text' : ''}`,
    );
  }
}
const n = gold.length;
const f = (x: number) => x.toFixed(3);
console.log(`htmldate-eval: ${n} pages, input via ${via}`);
console.log(`                      accuracy  precision  recall   ms/page (signals+text / dates)`);
console.log(
  `sluice extractDates    ${f(tp / n)}     ${f(tp / (tp + fp))}      ${f(tp / (tp + fn))}    ${(cleanMs / n).toFixed(2)} / ${(extractMs / n).toFixed(2)}`,
);
console.log('htmldate (extensive)   0.903     (published figure, same dataset and metric)');
console.log('htmldate (fast)        0.861     (published figure)');
console.log('newspaper4k            0.680     (published figure)');
console.log(`TP=${tp} FP=${fp} FN=${fn}`);
console.log(
  'by source (right/wrong):',
  [...sources.entries()]
    .sort((a, b) => b[1][0] + b[1][1] - a[1][0] - a[1][1])
    .map(([k, [r, w]]) => `${k} ${r}/${w}`)
    .join(', '),
);
if (rejected.length > 0) console.log(`rejected by the cleaner (scored as no output): ${rejected.length}`);
