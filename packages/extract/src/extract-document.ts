import type { CleanedDocument, ExtractedDocument, FeedHints } from '@sluice/contracts';
import { extractAuthors } from './authors';
import { normalizeCanonicalUrl } from './canonical-url';
import { extractDates } from './dates/extract-dates';
import { extractResolvedEntities } from './entities/extract-entities';
import { minhashSignature, simhash64 } from './fingerprints';
import { extractKeywords } from './keywords';
import { detectLanguage } from './language';
import { extractQuotes } from './quotes';
import { sourceName } from './source-name';
import { summarize } from './summary';
import { extractTitle } from './title';

export interface ExtractInput {
  id: string;
  cleaned: CleanedDocument;
  url?: string | null;
  finalUrl?: string | null;
  source?: string | null;
  /** What the feed item said about the document, when it came from a feed. */
  hints?: FeedHints | null;
  fetchedAt: string;
}

/** Feed categories kept beside the text's own keywords. */
const MAX_FEED_CATEGORIES = 5;

/** The text's keywords, then the feed's categories that they do not already name. */
function withCategories(keywords: string[], categories: readonly string[] | undefined): string[] {
  const seen = new Set(keywords.map((keyword) => keyword.toLowerCase()));
  const extra = (categories ?? []).filter((category) => !seen.has(category.toLowerCase()));
  return [...keywords, ...extra.slice(0, MAX_FEED_CATEGORIES)];
}

/** Fingerprints cover the first this-many characters, so a pathological body cannot stall the stage. */
const MAX_FINGERPRINT_TEXT = 300_000;

/** Runs one field extractor; a failure makes the field empty instead of failing the document. */
function safely<T>(fallback: T, run: () => T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}

function description(cleaned: CleanedDocument): string | null {
  const meta = cleaned.meta ?? {};
  const fromMeta =
    meta.description ?? meta['og:description'] ?? meta['twitter:description'] ?? meta['dc.description'];
  if (fromMeta?.trim()) return fromMeta.replace(/\s+/g, ' ').trim();
  for (const object of cleaned.jsonLd ?? []) {
    const value = (object as Record<string, unknown> | null)?.description;
    if (typeof value === 'string' && value.trim()) return value.replace(/\s+/g, ' ').trim();
  }
  return null;
}

/**
 * Turns a cleaned document into facts: title, authors, dates, language, canonical URL, entities,
 * quotes, keywords, summary and fingerprints. Pure and synchronous; never throws for odd input
 * (fields become null or empty and the document flows on).
 */
export function extractDocument(input: ExtractInput): ExtractedDocument {
  const cleaned = input.cleaned;
  const text = typeof cleaned.text === 'string' ? cleaned.text : '';
  const pageUrl = input.finalUrl ?? input.url ?? null;
  // The page's own declaration first, then the feed's: either says how its dates are written.
  const declaredLang = cleaned.lang ?? input.hints?.lang ?? null;
  const lang = safely(null, () => detectLanguage(text, declaredLang));
  const dates = safely({ publishedAt: null, modifiedAt: null, publishedAtSource: null }, () =>
    extractDates({
      hints: cleaned.dateHints ?? [],
      text,
      url: pageUrl,
      lang: declaredLang ?? lang,
      feed: input.hints,
      fetchedAt: input.fetchedAt,
    }),
  );
  const authorInput = { text, siteName: cleaned.siteName, url: pageUrl };
  let { byline, authors } = safely({ byline: null as string | null, authors: [] as string[] }, () =>
    extractAuthors({ ...authorInput, bylineHints: cleaned.bylineHints ?? [] }),
  );
  const feedAuthor = input.hints?.author;
  if (authors.length === 0 && feedAuthor) {
    // The page names no person: the feed item's author field does.
    const fromFeed = safely({ byline: null as string | null, authors: [] as string[] }, () =>
      extractAuthors({
        ...authorInput,
        text: '',
        bylineHints: [{ source: 'feed:author', value: feedAuthor }],
      }),
    );
    if (fromFeed.authors.length > 0) ({ byline, authors } = fromFeed);
  }
  const entities = safely([], () => extractResolvedEntities(text, { lang }));
  const publicEntities = entities.map(({ type, name, aliases, mentions }) => ({
    type,
    name,
    aliases,
    mentions,
  }));
  const body = text.slice(0, MAX_FINGERPRINT_TEXT);
  const fingerprints = safely(null, () =>
    body.trim() ? { simhash: simhash64(body), minhash: minhashSignature(body) } : null,
  );
  return {
    id: input.id,
    url: input.url ?? input.finalUrl ?? null,
    canonicalUrl: safely(
      null,
      () => normalizeCanonicalUrl(cleaned.canonicalUrl, pageUrl) ?? normalizeCanonicalUrl(pageUrl),
    ),
    source: sourceName(input.source, cleaned.siteName, pageUrl),
    siteName: cleaned.siteName ?? null,
    title: safely(null, () => extractTitle({ ...cleaned, url: pageUrl })) ?? input.hints?.title ?? null,
    text,
    description: safely(null, () => description(cleaned)),
    byline,
    authors,
    publishedAt: dates.publishedAt,
    modifiedAt: dates.modifiedAt,
    publishedAtSource: dates.publishedAtSource,
    lang,
    entities: publicEntities,
    quotes: safely([], () => extractQuotes(text, entities)),
    keywords: withCategories(
      safely([], () => extractKeywords(text, publicEntities)),
      input.hints?.categories,
    ),
    summary: safely(null, () => summarize(text)),
    fingerprints,
    fetchedAt: input.fetchedAt,
    extractedAt: new Date().toISOString(),
  };
}
