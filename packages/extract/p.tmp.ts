import { readdirSync, readFileSync } from 'node:fs';
import { extractDates } from './src/dates/extract-dates';
import { extractResolvedEntities } from './src/entities/extract-entities';
import { findMentions } from './src/entities/mentions';
import { minhashSignature, simhash64 } from './src/fingerprints';
import { extractKeywords } from './src/keywords';
import { detectLanguage } from './src/language';
import { extractQuotes } from './src/quotes';
import { summarize } from './src/summary';

const S = '/work/shared/seeds/';
const text = readdirSync(S)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(S + f, 'utf8'))
  .join('\n\n')
  .slice(0, 10240);
const ents = extractResolvedEntities(text);
const parts: Record<string, () => unknown> = {
  lang: () => detectLanguage(text, null),
  dates: () => extractDates({ hints: [], text, fetchedAt: '2026-01-01T00:00:00Z' }),
  mentions: () => findMentions(text),
  entities: () => extractResolvedEntities(text),
  quotes: () => extractQuotes(text, ents),
  keywords: () => extractKeywords(text, ents),
  summary: () => summarize(text),
  simhash: () => simhash64(text),
  minhash: () => minhashSignature(text),
};
for (const [k, f] of Object.entries(parts)) {
  for (let i = 0; i < 10; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(k.padEnd(10), 'p50', ts[25]!.toFixed(2), 'p95', ts[47]!.toFixed(2));
}
