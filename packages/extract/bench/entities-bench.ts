/**
 * Entity precision/recall on the hand-written set in entity-set.ts, and extractDocument latency on a
 * ~10 KB article (the five seed texts concatenated when ../shared/seeds exists, else the set's own
 * sentences repeated). Usage: npm run bench:entities
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { CleanedDocument } from '@sluice/contracts';
import { extractEntities } from '../src/entities/extract-entities';
import { nameKey } from '../src/entities/resolve';
import { extractDocument } from '../src/extract-document';
import { ENTITY_CASES } from './entity-set';

let tp = 0;
let fp = 0;
let fn = 0;
const misses: string[] = [];
for (const { text, expected } of ENTITY_CASES) {
  const found = extractEntities(text, { lang: 'en' });
  const want = new Set(expected.map(([type, name]) => `${type}:${nameKey(name)}`));
  const got = new Set(found.map((e) => `${e.type}:${nameKey(e.name)}`));
  for (const key of got) {
    if (want.has(key)) tp++;
    else {
      fp++;
      misses.push(`  FP ${key}   in: ${text}`);
    }
  }
  for (const key of want) {
    if (!got.has(key)) {
      fn++;
      misses.push(`  FN ${key}   in: ${text}`);
    }
  }
}
const precision = tp / (tp + fp);
const recall = tp / (tp + fn);
console.log(
  `entity set: ${ENTITY_CASES.length} sentences, ${tp + fn} expected entities (type + canonical name must match)`,
);
console.log(
  `sluice extractEntities   precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  F1 ${((2 * precision * recall) / (precision + recall)).toFixed(3)}`,
);
console.log('trafilatura / news-please / Fundus / Miniflux: no entity extraction (n/a)');
if (process.argv.includes('--verbose')) console.log(misses.join('\n'));

const SEEDS = new URL('../../../../shared/seeds/', import.meta.url).pathname;
let article: string;
let articleSource: string;
if (existsSync(SEEDS)) {
  article = readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(`${SEEDS}${f}`, 'utf8'))
    .join('\n\n');
  articleSource = 'five seed texts concatenated';
} else {
  const sentences = ENTITY_CASES.map((c) => c.text).join('\n\n');
  article = sentences.repeat(Math.ceil(10_240 / sentences.length));
  articleSource = 'entity-set sentences repeated (seeds absent)';
}
article = article.slice(0, 10_240);
const cleaned: CleanedDocument = {
  format: 'text',
  text: article,
  titleCandidates: [],
  dateHints: [],
  bylineHints: [],
  meta: {},
  jsonLd: [],
};
const runs = 200;
const times: number[] = [];
for (let i = 0; i < 20; i++) extractDocument({ id: 'warm', cleaned, fetchedAt: '2026-01-01T00:00:00Z' });
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  extractDocument({ id: `run-${i}`, cleaned, fetchedAt: '2026-01-01T00:00:00Z' });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
console.log(
  `extractDocument on ${(article.length / 1024).toFixed(1)} KB (${articleSource}), ${runs} runs: p50 ${pct(0.5)} ms  p95 ${pct(0.95)} ms  (goal p95 < 20 ms)`,
);
