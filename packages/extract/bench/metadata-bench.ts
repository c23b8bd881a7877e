/**
 * Title, author and date accuracy against the metadata gold of trafilatura-eval (851 pages).
 * Per field and page: right when the normalised value equals the gold one, or when the gold is empty
 * and Sluice outputs nothing. Also printed: accuracy on pages whose gold value is non-empty.
 * Usage: npm run bench:metadata [-- --limit N] [--verbose] [--misses [title|author]]
 * --misses prints, per wrong title or author, the gold value, ours, the source that won and every candidate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { reconcileAuthors } from '../src/authors';
import { extractDocument } from '../src/extract-document';
import { reconcileTitle } from '../src/title';
import { decodePage, htmlToCleaned, rejected } from './html-input';

const DATASET = new URL('../../../../shared/datasets/trafilatura-eval/', import.meta.url).pathname;
const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Number.POSITIVE_INFINITY;
const verbose = process.argv.includes('--verbose');
const missesArg = process.argv.indexOf('--misses');
const missesFor =
  missesArg > 0
    ? (process.argv[missesArg + 1] ?? '').match(/^(?:title|author)$/)
      ? [process.argv[missesArg + 1]]
      : ['title', 'author']
    : [];
if (!existsSync(`${DATASET}evaldata.json`)) {
  console.log(`skipped: ${DATASET} is absent`);
  process.exit(0);
}

interface Gold {
  file: string;
  title?: string;
  author?: string;
  date?: string;
}
const all = JSON.parse(readFileSync(`${DATASET}evaldata.json`, 'utf8')) as Record<string, Gold>;
const pages = Object.entries(all)
  .filter(([, g]) => g.title !== undefined || g.author !== undefined || g.date !== undefined)
  .slice(0, limit);

const normalise = (value: string | null | undefined) =>
  (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[“”„"«»]/g, '"')
    .replace(/[‘’]/g, "'")
    .trim();
const authorSet = (value: string) =>
  normalise(value)
    .split(/\s*(?:;|,|\band\b|\bund\b|&)\s*/)
    .filter(Boolean)
    .sort()
    .join('|');

type Field = 'title' | 'author' | 'date';
const score: Record<Field, { right: number; total: number; rightNonEmpty: number; nonEmpty: number }> = {
  title: { right: 0, total: 0, rightNonEmpty: 0, nonEmpty: 0 },
  author: { right: 0, total: 0, rightNonEmpty: 0, nonEmpty: 0 },
  date: { right: 0, total: 0, rightNonEmpty: 0, nonEmpty: 0 },
};
const { via, clean } = await htmlToCleaned();
const fetchedAt = new Date().toISOString();
let ms = 0;
for (const [url, gold] of pages) {
  const html = decodePage(gunzipSync(readFileSync(`${DATASET}html/${gold.file}.gz`)));
  const t = performance.now();
  const cleaned = clean(html, url);
  const doc = extractDocument({ id: gold.file, cleaned, url, fetchedAt });
  ms += performance.now() - t;
  const got: Record<Field, string> = {
    title: normalise(doc.title),
    author: doc.authors.length ? authorSet(doc.authors.join('; ')) : '',
    date: doc.publishedAt?.slice(0, 10) ?? '',
  };
  for (const field of ['title', 'author', 'date'] as Field[]) {
    if (gold[field] === undefined) continue;
    const raw = typeof gold[field] === 'string' ? (gold[field] as string) : '';
    const want = field === 'author' ? authorSet(raw) : field === 'title' ? normalise(raw) : raw;
    const right = got[field] === want;
    const s = score[field];
    s.total++;
    if (right) s.right++;
    if (want) {
      s.nonEmpty++;
      if (right) s.rightNonEmpty++;
    }
    if (verbose && !right) console.log(`${field}\t${gold.file}\twant=${want}\tgot=${got[field]}`);
    if (!right && missesFor.includes(field)) {
      const source =
        field === 'title'
          ? reconcileTitle({ ...cleaned, url })?.source
          : reconcileAuthors({ bylineHints: cleaned.bylineHints ?? [], text: cleaned.text }).source;
      const candidates = field === 'title' ? cleaned.titleCandidates : cleaned.bylineHints;
      console.log(`MISS ${field} ${gold.file}\n  gold: ${want}\n  ours: ${got[field]}  [${source ?? '-'}]`);
      if (field === 'title' && cleaned.siteName) console.log(`  siteName: ${cleaned.siteName}`);
      if (field === 'title' && cleaned.headline) console.log(`  text:headline: ${cleaned.headline}`);
      for (const c of candidates ?? []) console.log(`  ${c.source}: ${c.value.slice(0, 160)}`);
    }
  }
}
console.log(`trafilatura-eval metadata gold: ${pages.length} pages, input via ${via}`);
console.log('field    accuracy  (pages)   accuracy where gold non-empty  (pages)');
for (const field of ['title', 'author', 'date'] as Field[]) {
  const s = score[field];
  console.log(
    `${field.padEnd(8)} ${(s.right / s.total).toFixed(3)}     (${s.total})     ${(s.rightNonEmpty / s.nonEmpty).toFixed(3)}                          (${s.nonEmpty})`,
  );
}
console.log(`clean + extract: ${(ms / pages.length).toFixed(2)} ms per page`);
console.log('peers: no per-field figures are published for this gold; none are printed rather than guessed.');
if (rejected.length > 0) console.log(`rejected by the cleaner (scored as no output): ${rejected.length}`);
