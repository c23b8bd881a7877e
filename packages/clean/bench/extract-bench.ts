/**
 * Main-content extraction benchmark: Sluice's cleaner against @mozilla/readability on linkedom,
 * on the same pages in the same run, each extractor in its own child process so that peak memory
 * is its own.
 *
 *   npm run bench:extract                       # both datasets, every page
 *   npm run bench:extract -- --limit 200        # the first 200 pages of each dataset
 *   npm run bench:extract -- --misses /tmp/m.json   # also write per-page misses (Sluice only)
 *   npm run bench:extract -- --no-warmup        # time the first pass (cold code) instead
 *   npm run bench:extract -- --rounds 1         # one run per extractor (default 3, taken in turns)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import type { Element, ParentNode } from 'domhandler';
import { parseHTML } from 'linkedom';
import { cleanDocument } from '../src/clean-document';
import { decodeBody } from '../src/decode';
import { findFirst } from '../src/html/dom';
import { parseHtml } from '../src/html/parse';
import { dropNonContent } from '../src/html/prune';
import { blocksOf } from '../src/html/serialize';
import { MAX_HTML_DEPTH } from '../src/limits';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const datasetsDir = resolve(repoRoot, '../shared/datasets');

/** `all-text` keeps every line: the baseline for pages given as plain text, where Readability has nothing to read. */
type Extractor = 'sluice' | 'readability' | 'all-text';
/** `trafilatura-eval-text`: the same pages flattened to plain text, page chrome and all (as the seeds are). */
type DatasetName = 'trafilatura-eval' | 'readability-testpages' | 'trafilatura-eval-text';
const PEERS: Record<DatasetName, Extractor> = {
  'trafilatura-eval': 'readability',
  'readability-testpages': 'readability',
  'trafilatura-eval-text': 'all-text',
};
const SOURCE_DIR: Record<DatasetName, string> = {
  'trafilatura-eval': 'trafilatura-eval',
  'readability-testpages': 'readability-testpages',
  'trafilatura-eval-text': 'trafilatura-eval',
};

interface Page {
  id: string;
  bytes: Uint8Array;
  /** trafilatura-eval-text: the page as plain text, one line per block. */
  text?: string;
  /** trafilatura-eval: segments that must / must not appear. */
  with?: string[];
  without?: string[];
  /** readability-testpages: the expected article text. */
  gold?: string;
  /** trafilatura-eval: the gold title, where the dataset gives one. */
  title?: string;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/**
 * A page as a browser's "select all, copy" gives it: the text of every block, navigation and
 * footers included, one line each, blank lines between (scripts, styles and forms left out).
 */
function flattenToText(bytes: Uint8Array): string {
  try {
    const root = parseHtml(decodeBody(bytes, 'text/html').text, MAX_HTML_DEPTH);
    const body: ParentNode = findFirst(root, 'body') ?? root;
    dropNonContent(body);
    const elements = body.children.filter((node): node is Element => node.type === 'tag');
    return blocksOf(elements, new Map())
      .map((block) => block.text)
      .join('\n\n');
  } catch {
    return '';
  }
}

function loadPages(dataset: DatasetName, limit: number): Page[] {
  const dir = join(datasetsDir, SOURCE_DIR[dataset]);
  if (dataset === 'trafilatura-eval-text') {
    return loadPages('trafilatura-eval', limit).map((page) => ({ ...page, text: flattenToText(page.bytes) }));
  }
  if (dataset === 'trafilatura-eval') {
    const evaldata = JSON.parse(readFileSync(join(dir, 'evaldata.json'), 'utf8')) as Record<
      string,
      { file: string; with: string[]; without: string[]; title?: string }
    >;
    return Object.entries(evaldata)
      .slice(0, limit)
      .map(([url, entry]) => ({
        id: url,
        bytes: gunzipSync(readFileSync(join(dir, 'html', `${entry.file}.gz`))),
        with: entry.with,
        title: entry.title,
        without: entry.without,
      }));
  }
  return readdirSync(join(dir, 'pages'))
    .sort()
    .slice(0, limit)
    .map((name) => {
      const page = join(dir, 'pages', name);
      const expected = gunzipSync(readFileSync(join(page, 'expected.html.gz'))).toString('utf8');
      return {
        id: name,
        bytes: gunzipSync(readFileSync(join(page, 'source.html.gz'))),
        gold: parseHTML(`<html><body>${expected}</body></html>`).document.body.textContent ?? '',
      };
    });
}

const squash = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');

function extract(extractor: Extractor, page: Page): string {
  if (extractor === 'all-text') return page.text ?? '';
  if (extractor === 'sluice') {
    try {
      return page.text !== undefined
        ? cleanDocument({ body: page.text, contentType: 'text/plain' }).text
        : cleanDocument({ body: page.bytes, contentType: 'text/html' }).text;
    } catch {
      return '';
    }
  }
  const { text } = decodeBody(page.bytes, 'text/html');
  const { document } = parseHTML(text);
  return (
    new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse()
      ?.textContent ?? ''
  );
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** trafilatura's count_item: each "with" segment found is a TP (else FN), each "without" found an FP (else TN). */
function countSegments(output: string, page: Page, counts: Counts, misses: unknown[]): void {
  const text = squash(output);
  const missed: string[] = [];
  const leaked: string[] = [];
  for (const segment of page.with ?? []) {
    if (text.includes(squash(segment))) counts.tp++;
    else {
      counts.fn++;
      missed.push(segment);
    }
  }
  for (const segment of page.without ?? []) {
    if (text.includes(squash(segment))) {
      counts.fp++;
      leaked.push(segment);
    } else counts.tn++;
  }
  if (missed.length || leaked.length) misses.push({ page: page.id, missed, leaked, chars: text.length });
}

/** Token overlap with the expected article (bag of words), summed over pages. */
function countTokens(output: string, page: Page, counts: Counts): void {
  const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const gold = new Map<string, number>();
  const goldTokens = tokens(page.gold ?? '');
  for (const token of goldTokens) gold.set(token, (gold.get(token) ?? 0) + 1);
  const outTokens = tokens(output);
  let overlap = 0;
  for (const token of outTokens) {
    const left = gold.get(token) ?? 0;
    if (left > 0) {
      overlap++;
      gold.set(token, left - 1);
    }
  }
  counts.tp += overlap;
  counts.fp += outTokens.length - overlap;
  counts.fn += goldTokens.length - overlap;
}

interface Result {
  extractor: Extractor;
  dataset: DatasetName;
  pages: number;
  precision: number;
  recall: number;
  f1: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  slowest: string;
  peakRssMb: number;
  /** trafilatura-eval-text, Sluice: headlines found equal to the gold title, of pages with one. */
  headlines?: { right: number; total: number };
}

function run(
  extractor: Extractor,
  dataset: DatasetName,
  limit: number,
  warmup: boolean,
  missesFile?: string,
): Result {
  const pages = loadPages(dataset, limit);
  const counts: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const times: number[] = [];
  const misses: unknown[] = [];
  let slowest = '';
  let slowestMs = 0;
  // One untimed pass first: a worker runs for hours, so the figures are of warmed-up code for
  // both extractors, not of the first pages compiling it.
  if (warmup) for (const page of pages) extract(extractor, page);
  for (const page of pages) {
    const started = performance.now();
    const output = extract(extractor, page);
    const elapsed = performance.now() - started;
    times.push(elapsed);
    if (elapsed > slowestMs) {
      slowestMs = elapsed;
      slowest = page.id;
    }
    if (dataset !== 'readability-testpages') countSegments(output, page, counts, misses);
    else countTokens(output, page, counts);
  }
  if (missesFile) writeFileSync(missesFile, JSON.stringify(misses, null, 1));
  const headlines =
    dataset === 'trafilatura-eval-text' && extractor === 'sluice' ? scoreHeadlines(pages) : undefined;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  const precision = counts.tp / (counts.tp + counts.fp || 1);
  const recall = counts.tp / (counts.tp + counts.fn || 1);
  return {
    extractor,
    dataset,
    pages: pages.length,
    precision,
    recall,
    f1: (2 * counts.tp) / (2 * counts.tp + counts.fp + counts.fn || 1),
    p50: at(0.5),
    p95: at(0.95),
    max: times[times.length - 1] ?? 0,
    mean: times.reduce((sum, time) => sum + time, 0) / (times.length || 1),
    slowest,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    headlines,
  };
}

const normaliseTitle = (value: string | null | undefined) =>
  (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[“”„"«»]/g, '"')
    .replace(/[‘’]/g, "'")
    .trim();

/** The plain-text cleaner's headline against the gold title (exact after normalising), untimed. */
function scoreHeadlines(pages: Page[]): { right: number; total: number } {
  let right = 0;
  let total = 0;
  for (const page of pages) {
    if (!page.title || page.text === undefined) continue;
    total++;
    let headline: string | null = null;
    try {
      headline = cleanDocument({ body: page.text, contentType: 'text/plain' }).headline ?? null;
    } catch {
      headline = null;
    }
    if (normaliseTitle(headline) === normaliseTitle(page.title)) right++;
  }
  return { right, total };
}

/** One row for several runs of the same extractor: quality is the same every run; timings vary. */
function medianOf(results: Result[]): Result {
  const median = (pick: (result: Result) => number) => {
    const values = results.map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] as number;
  };
  const slowestRun = results.reduce((a, b) => (b.max > a.max ? b : a));
  return {
    ...(results[0] as Result),
    p50: median((result) => result.p50),
    p95: median((result) => result.p95),
    mean: median((result) => result.mean),
    max: slowestRun.max,
    slowest: slowestRun.slowest,
    peakRssMb: Math.max(...results.map((result) => result.peakRssMb)),
  };
}

const child = argument('--child');
if (child) {
  const [extractor, dataset] = child.split(':') as [Extractor, DatasetName];
  const result = run(
    extractor,
    dataset,
    Number(argument('--limit') ?? Infinity),
    !process.argv.includes('--no-warmup'),
    argument('--misses'),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const limit = argument('--limit') ?? 'Infinity';
  const rounds = Math.max(1, Number(argument('--rounds') ?? 3));
  const misses = argument('--misses');
  const only = argument('--only');
  const rows: Result[] = [];
  for (const dataset of Object.keys(PEERS) as DatasetName[]) {
    if (only && only !== dataset) continue;
    if (!existsSync(join(datasetsDir, SOURCE_DIR[dataset]))) {
      console.log(`skipping ${dataset}: ${join(datasetsDir, SOURCE_DIR[dataset])} is absent`);
      continue;
    }
    const peer = PEERS[dataset];
    const runs: Record<Extractor, Result[]> = { sluice: [], readability: [], 'all-text': [] };
    // The extractors take turns, round after round, so that a change in the machine's load
    // falls on both alike; timings are the median over rounds.
    for (let round = 0; round < rounds; round++) {
      for (const extractor of ['sluice', peer] as Extractor[]) {
        const args = [fileURLToPath(import.meta.url), '--child', `${extractor}:${dataset}`, '--limit', limit];
        if (process.argv.includes('--no-warmup')) args.push('--no-warmup');
        if (misses && extractor === 'sluice' && round === 0)
          args.push('--misses', `${misses}.${dataset}.json`);
        const output = execFileSync(process.execPath, ['--import', 'tsx', ...args], {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        runs[extractor].push(JSON.parse(output.trim().split('\n').pop() as string) as Result);
      }
    }
    rows.push(medianOf(runs.sluice), medianOf(runs[peer]));
  }
  const fmt = (n: number, digits = 3) => n.toFixed(digits);
  console.log(
    `\nextract benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
      `${rounds} round(s) per extractor taken in turns: timings are medians over rounds, peak RSS the highest`,
  );
  console.log(
    'trafilatura-eval(-text): segment P/R/F1 (micro); readability-testpages: token P/R/F1 against expected text',
  );
  console.log(
    [
      'dataset'.padEnd(22),
      'extractor'.padEnd(12),
      'pages',
      'F1   ',
      'P    ',
      'R    ',
      'p50 ms',
      'p95 ms',
      'max ms',
      'peak RSS MB',
    ].join(' | '),
  );
  for (const row of rows) {
    console.log(
      [
        row.dataset.padEnd(22),
        row.extractor.padEnd(12),
        String(row.pages).padStart(5),
        fmt(row.f1),
        fmt(row.precision),
        fmt(row.recall),
        fmt(row.p50, 1).padStart(6),
        fmt(row.p95, 1).padStart(6),
        fmt(row.max, 1).padStart(6),
        fmt(row.peakRssMb, 0).padStart(11),
      ].join(' | '),
    );
  }
  for (const row of rows)
    console.log(`slowest ${row.extractor} page on ${row.dataset}: ${row.slowest} (${fmt(row.max, 1)} ms)`);
  for (const row of rows) {
    if (!row.headlines) continue;
    const { right, total } = row.headlines;
    console.log(
      `headline on ${row.dataset}: ${right} of ${total} equal the gold title (${fmt(right / (total || 1))})`,
    );
  }
  for (const dataset of new Set(rows.map((row) => row.dataset))) {
    const sluice = rows.find((row) => row.dataset === dataset && row.extractor === 'sluice');
    const peer = rows.find((row) => row.dataset === dataset && row.extractor === 'readability');
    // Only Readability is a peer in speed: keeping all the text costs nothing.
    if (!sluice || !peer) continue;
    console.log(
      `speed on ${dataset}: Sluice is ${fmt(peer.p50 / sluice.p50, 1)}x faster than Readability at p50, ` +
        `${fmt(peer.p95 / sluice.p95, 1)}x at p95, ${fmt(peer.mean / sluice.mean, 1)}x in mean ms per page`,
    );
  }
}
