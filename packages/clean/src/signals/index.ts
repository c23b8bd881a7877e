import type { CleanedDocument } from '@sluice/contracts';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { collectBylineHints } from './bylines';
import { collectDateHints } from './dates';
import { articleObjects, collectJsonLd, jsonLdNames } from './json-ld';
import { collectMeta } from './meta';
import { scanPage } from './scan';
import { squish } from './text';
import { collectTitleCandidates } from './titles';

export { parseLenientJson } from './json-ld';

export type HtmlSignals = Pick<
  CleanedDocument,
  'titleCandidates' | 'dateHints' | 'bylineHints' | 'meta' | 'jsonLd' | 'canonicalUrl' | 'lang' | 'siteName'
>;

function absoluteUrl(href: string | undefined, base: string | null | undefined): string | null {
  const value = squish(href);
  if (!value) return null;
  try {
    return new URL(value, base ?? undefined).toString();
  } catch {
    return null;
  }
}

function declaredLanguage(html: Element | null, meta: Record<string, string>): string | null {
  const attribs = html?.attribs ?? {};
  const value = attribs.lang ?? attribs['xml:lang'] ?? meta['content-language'] ?? meta['og:locale'];
  const lang = squish(value).split(',')[0]?.replace('_', '-').trim();
  return lang ? lang : null;
}

function siteName(meta: Record<string, string>, jsonLd: Record<string, unknown>[]): string | null {
  const fromMeta = meta['og:site_name'] ?? meta['application-name'];
  if (fromMeta) return fromMeta;
  for (const object of articleObjects(jsonLd)) {
    const [publisher] = jsonLdNames(object.publisher);
    if (publisher) return publisher;
  }
  return null;
}

/**
 * Collects the structured signals the extractor needs (titles, dates, bylines, meta tags,
 * JSON-LD, canonical link, language) from the page as parsed, before any boilerplate is removed.
 * The cleaner calls this once; the extractor never re-parses HTML. Never throws.
 */
export function collectHtmlSignals($: CheerioAPI, options: { url?: string | null } = {}): HtmlSignals {
  const scan = scanPage($);
  const meta = collectMeta(scan.metas);
  const jsonLd = collectJsonLd(scan.jsonLdScripts);
  const url = options.url ?? null;
  return {
    titleCandidates: collectTitleCandidates(scan, meta, jsonLd),
    dateHints: collectDateHints(scan, meta, jsonLd, url),
    bylineHints: collectBylineHints(scan, meta, jsonLd),
    meta,
    jsonLd,
    canonicalUrl: absoluteUrl(scan.canonical?.attribs.href, url) ?? absoluteUrl(meta['og:url'], url),
    lang: declaredLanguage(scan.html, meta),
    siteName: siteName(meta, jsonLd),
  };
}
