import type { Signal } from '@sluice/contracts';
import type { CheerioAPI } from 'cheerio';
import { articleObjects } from './json-ld';
import { pushSignal, squish } from './text';

const TITLE_META_KEYS = ['og:title', 'twitter:title', 'dc.title', 'parsely-title', 'sailthru.title', 'title'];

/** Title candidates, strongest first: og/twitter meta, JSON-LD headline, `<h1>`, `<title>`. */
export function collectTitleCandidates(
  $: CheerioAPI,
  meta: Record<string, string>,
  jsonLd: Record<string, unknown>[],
): Signal[] {
  const candidates: Signal[] = [];
  for (const key of TITLE_META_KEYS) pushSignal(candidates, `meta:${key}`, meta[key], 500);
  for (const object of articleObjects(jsonLd)) {
    if (typeof object.headline === 'string') pushSignal(candidates, 'jsonld:headline', object.headline, 500);
  }
  $('h1')
    .slice(0, 3)
    .each((_, el) => {
      pushSignal(candidates, 'h1', squish($(el).text()), 500);
    });
  pushSignal(candidates, 'title', $('head title').first().text() || $('title').first().text(), 500);
  return candidates;
}
