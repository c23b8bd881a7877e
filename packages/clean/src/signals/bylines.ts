import type { Signal } from '@sluice/contracts';
import type { CheerioAPI } from 'cheerio';
import { articleObjects, jsonLdNames } from './json-ld';
import { pushSignal, squish } from './text';

const MAX_BYLINE_HINTS = 20;
const AUTHOR_META_KEYS = [
  'author',
  'article:author',
  'dc.creator',
  'dcterms.creator',
  'parsely-author',
  'sailthru.author',
  'byl',
  'citation_author',
];

/** Byline hints: JSON-LD author, author metas, rel=author links, itemprop/class author and byline elements. */
export function collectBylineHints(
  $: CheerioAPI,
  meta: Record<string, string>,
  jsonLd: Record<string, unknown>[],
): Signal[] {
  const hints: Signal[] = [];
  for (const object of articleObjects(jsonLd)) {
    for (const name of jsonLdNames(object.author ?? object.creator)) pushSignal(hints, 'jsonld:author', name);
  }
  for (const key of AUTHOR_META_KEYS) pushSignal(hints, `meta:${key}`, meta[key]);
  $('a[rel~="author"], link[rel~="author"]')
    .slice(0, 5)
    .each((_, el) => {
      pushSignal(hints, 'rel:author', squish($(el).text()), 120);
    });
  $('[itemprop~="author"]')
    .slice(0, 5)
    .each((_, el) => {
      const $el = $(el);
      const name = $el.find('[itemprop~="name"]').first();
      const value = name.length ? (name.attr('content') ?? name.text()) : ($el.attr('content') ?? $el.text());
      pushSignal(hints, 'itemprop:author', value, 120);
    });
  $('[class*="byline" i], [class*="author" i], [id*="byline" i], [class*="autor" i]')
    .slice(0, 8)
    .each((_, el) => {
      if (el.tagName === 'body' || el.tagName === 'html' || el.tagName === 'article') return;
      pushSignal(hints, 'element:byline', squish($(el).text()), 160);
    });
  return hints.slice(0, MAX_BYLINE_HINTS);
}
