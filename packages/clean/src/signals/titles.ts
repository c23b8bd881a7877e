import type { Signal } from '@sluice/contracts';
import { articleObjects } from './json-ld';
import { boundedText, type PageScan } from './scan';
import { pushSignal } from './text';

const TITLE_META_KEYS = ['og:title', 'twitter:title', 'dc.title', 'parsely-title', 'sailthru.title', 'title'];
const MAX_TITLE_CHARS = 500;

/** Title candidates, strongest first: og/twitter meta, JSON-LD headline, `<h1>`, `<title>`. */
export function collectTitleCandidates(
  scan: PageScan,
  meta: Record<string, string>,
  jsonLd: Record<string, unknown>[],
): Signal[] {
  const candidates: Signal[] = [];
  for (const key of TITLE_META_KEYS) pushSignal(candidates, `meta:${key}`, meta[key], MAX_TITLE_CHARS);
  for (const object of articleObjects(jsonLd)) {
    if (typeof object.headline === 'string')
      pushSignal(candidates, 'jsonld:headline', object.headline, MAX_TITLE_CHARS);
  }
  for (const h1 of scan.h1) pushSignal(candidates, 'h1', boundedText(h1, MAX_TITLE_CHARS), MAX_TITLE_CHARS);
  const headTitle = scan.headTitle ? boundedText(scan.headTitle, MAX_TITLE_CHARS) : null;
  const anyTitle = scan.title ? boundedText(scan.title, MAX_TITLE_CHARS) : null;
  pushSignal(candidates, 'title', headTitle || anyTitle, MAX_TITLE_CHARS);
  return candidates;
}
