import { renderSampleHtml, SAMPLE_ARTICLES } from '@sluice/cli/samples';

export interface SamplePage {
  url: string;
  source: string;
  html: string;
}

const PARAGRAPHS = SAMPLE_ARTICLES.flatMap((article) => article.paragraphs);

/**
 * Page n of as many distinct pages as a benchmark needs, built from the samples that ship with
 * the CLI: paragraphs recombined and numbers varied, so no two are duplicates of each other.
 * `tag` keeps the pages of different benchmarks apart when they share an index.
 */
export function samplePage(n: number, tag = 'update'): SamplePage {
  const base = SAMPLE_ARTICLES[n % SAMPLE_ARTICLES.length]!;
  const picked = Array.from({ length: 5 }, (_, k) => PARAGRAPHS[(n * 7 + k * 11) % PARAGRAPHS.length]!);
  const slug = tag === 'update' ? `${base.slug}-${n}` : `${base.slug}-${tag}-${n}`;
  const article = {
    ...base,
    slug,
    headline: `${base.headline}: ${tag} ${n}`,
    paragraphs: [...base.paragraphs.slice(0, 2), ...picked.map((p) => p.replace(/\d+/, String(n % 97)))],
  };
  const url = `https://bench.sluice.invalid/${article.slug}`;
  return { url, source: base.source, html: renderSampleHtml(article, { url, variant: n }) };
}

/** The first `count` sample pages. */
export const samplePages = (count: number, tag?: string): SamplePage[] =>
  Array.from({ length: count }, (_, n) => samplePage(n, tag));
