import type { CheerioAPI } from 'cheerio';
import type { CleanedDocument } from '@sluice/contracts';

export type HtmlSignals = Pick<
  CleanedDocument,
  'titleCandidates' | 'dateHints' | 'bylineHints' | 'meta' | 'jsonLd' | 'canonicalUrl' | 'lang' | 'siteName'
>;

/**
 * Collects the structured signals the extractor needs (titles, dates, bylines, meta tags,
 * JSON-LD, canonical link, language) from the page as parsed, before any boilerplate is removed.
 * The cleaner calls this once; the extractor never re-parses HTML.
 */
export function collectHtmlSignals($: CheerioAPI, _options: { url?: string | null } = {}): HtmlSignals {
  return {
    titleCandidates: [],
    dateHints: [],
    bylineHints: [],
    meta: {},
    jsonLd: [],
    canonicalUrl: null,
    lang: $('html').attr('lang') ?? null,
    siteName: null,
  };
}
