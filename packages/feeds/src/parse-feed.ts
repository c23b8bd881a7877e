import { parseFeed } from 'feedsmith';
import { boundFeedXml } from './bound-feed-xml';
import { type FeedParsePool, sharedFeedParsePool } from './parse-pool';
import { assertSafeXml } from './xml-guard';

/** One feed entry, normalised across formats: absolute links, ISO dates, content as HTML. */
export interface FeedItem {
  guid: string | null;
  url: string | null;
  title: string | null;
  publishedAt: string | null;
  /** Atom `updated`, JSON Feed `date_modified`: when the item last changed. */
  updatedAt: string | null;
  /** Names of the item's authors, as the feed gives them, joined ("Jane Doe, John Roe"). */
  author: string | null;
  /** The item's categories (RSS `category`, Atom `category`, JSON Feed `tags`, `dc:subject`). */
  categories: string[];
  /** The language the feed declares for its items (RSS `language`, `dc:language`, JSON Feed `language`). */
  language: string | null;
  /** Full content when the feed carries it (content:encoded, Atom content, content_html). */
  content: string | null;
  summary: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  siteUrl: string | null;
  /** RSS `<ttl>` in minutes. */
  ttlMinutes: number | null;
  items: FeedItem[];
  /** Items present in the document beyond `maxItems`, not returned. */
  droppedItems: number;
}

export class FeedParseError extends Error {
  readonly code = 'unparseable-feed';
  readonly permanent = true;
}

export interface ParseFeedOptions {
  /** The feed's own URL: relative links resolve against it (or the feed's xml:base/site link). */
  feedUrl: string;
  maxItems?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: feedsmith's four format unions are walked structurally.
type Loose = Record<string, any>;

/**
 * Parses RSS 0.9x/2.0, RDF, Atom 0.3/1.0 or JSON Feed text. XML is screened for entity
 * declarations first. At most `maxItems` items are normalised (the first ones, as listed).
 * Runs on the calling thread: for text of unknown size use `parseFeedTextOffLoop`.
 */
export function parseFeedText(text: string, options: ParseFeedOptions): ParsedFeed {
  const prepared = prepareFeedText(text, options.maxItems ?? 500);
  let value: unknown = prepared.text;
  if (prepared.json) {
    try {
      value = JSON.parse(prepared.text);
    } catch {
      throw new FeedParseError('feed is neither XML nor valid JSON');
    }
  }
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(value);
  } catch (error) {
    throw new FeedParseError(`not a feed: ${(error as Error).message}`);
  }
  return finishFeed(parsed.format, parsed.feed as Loose, prepared, options);
}

export interface OffLoopOptions extends ParseFeedOptions {
  /** Text at least this long (UTF-16 units) is parsed in a thread; shorter text inline. */
  offloadChars?: number;
  pool?: FeedParsePool;
}

/** Feeds shorter than this parse inline in a few milliseconds; a thread hop costs more. */
export const DEFAULT_OFFLOAD_CHARS = 256 * 1024;

/**
 * `parseFeedText` for feeds of any size: small feeds parse inline, large ones in the parse
 * pool's thread (the screening and item cut, linear scans, stay here), so the event loop is
 * never held for the whole parse of one huge item or a very long feed.
 */
export async function parseFeedTextOffLoop(text: string, options: OffLoopOptions): Promise<ParsedFeed> {
  if (text.length < (options.offloadChars ?? DEFAULT_OFFLOAD_CHARS)) return parseFeedText(text, options);
  const prepared = prepareFeedText(text, options.maxItems ?? 500);
  const pool = options.pool ?? sharedFeedParsePool();
  const result = await pool.parse(prepared.text, prepared.json);
  if (!result.ok) {
    throw new FeedParseError(result.reason === 'json' ? result.message : `not a feed: ${result.message}`);
  }
  return finishFeed(result.format, result.feed as Loose, prepared, options);
}

interface PreparedFeed {
  text: string;
  json: boolean;
  droppedBeforeParse: number;
}

function prepareFeedText(text: string, maxItems: number): PreparedFeed {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return { text: trimmed, json: true, droppedBeforeParse: 0 };
  assertSafeXml(trimmed);
  // Items past maxItems are cut before parsing, so a huge feed costs no more than a short one.
  const bounded = boundFeedXml(trimmed, maxItems);
  return { text: bounded.text, json: false, droppedBeforeParse: bounded.droppedItems };
}

function finishFeed(
  format: ParsedFeed['format'],
  feed: Loose,
  prepared: PreparedFeed,
  options: ParseFeedOptions,
): ParsedFeed {
  const maxItems = options.maxItems ?? 500;
  const siteUrl = absolute(siteLinkOf(format, feed), options.feedUrl);
  const base = siteUrl ?? options.feedUrl;
  const rawItems: Loose[] = (format === 'atom' ? feed.entries : feed.items) ?? [];
  const language = stringOrNull(feed.language) ?? stringOrNull(feed.dc?.languages?.[0]);
  const items = rawItems.slice(0, maxItems).map((item) => ({
    ...normaliseItem(format, item, base),
    language: stringOrNull(item.language) ?? language,
  }));
  const ttl = Number(feed.ttl);
  return {
    format,
    title: textOf(feed.title),
    siteUrl,
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    items,
    droppedItems: prepared.droppedBeforeParse + Math.max(0, rawItems.length - maxItems),
  };
}

function siteLinkOf(format: ParsedFeed['format'], feed: Loose): string | null {
  if (format === 'json') return feed.home_page_url ?? null;
  if (format === 'atom') return pickAtomLink(feed.links);
  return feed.link ?? null;
}

function normaliseItem(format: ParsedFeed['format'], item: Loose, base: string): Omit<FeedItem, 'language'> {
  if (format === 'json') {
    return {
      guid: stringOrNull(item.id),
      url: absolute(item.url ?? item.external_url, base),
      title: textOf(item.title),
      publishedAt: isoDate(item.date_published ?? item.date_modified),
      updatedAt: isoDate(item.date_modified),
      author: namesOf(item.authors ?? (item.author ? [item.author] : [])),
      categories: labelsOf(item.tags),
      content: item.content_html ?? (item.content_text ? escapeHtml(item.content_text) : null),
      summary: textOf(item.summary),
    };
  }
  if (format === 'atom') {
    const content = item.content as Loose | undefined;
    return {
      guid: stringOrNull(item.id),
      url: absolute(pickAtomLink(item.links), base),
      title: textOf(item.title),
      publishedAt: isoDate(item.published ?? item.updated ?? item.dc?.dates?.[0]),
      updatedAt: isoDate(item.updated),
      author: namesOf(item.authors) ?? namesOf(item.dc?.creators),
      categories: labelsOf([...(item.categories ?? []), ...(item.dc?.subjects ?? [])]),
      content: content?.value ? String(content.value) : null,
      summary: textOf(item.summary),
    };
  }
  const guid = item.guid as Loose | string | undefined;
  const guidValue = typeof guid === 'string' ? guid : stringOrNull(guid?.value);
  const permalink = typeof guid === 'object' && guid?.isPermaLink !== false && guidValue ? guidValue : null;
  return {
    guid: guidValue ?? (format === 'rdf' ? stringOrNull(item.rdf?.about) : null),
    url: absolute(item.link ?? (permalink && /^https?:/i.test(permalink) ? permalink : null), base) ?? null,
    title: textOf(item.title),
    publishedAt: isoDate(item.pubDate ?? item.dc?.dates?.[0] ?? item.dcterms?.issued),
    updatedAt: isoDate(item.dcterms?.modified?.[0]),
    author: namesOf(item.dc?.creators) ?? namesOf(item.authors),
    categories: labelsOf([...(item.categories ?? []), ...(item.dc?.subjects ?? [])]),
    content: stringOrNull(item.content?.encoded),
    summary: stringOrNull(item.description),
  };
}

function pickAtomLink(links: Loose[] | undefined): string | null {
  if (!Array.isArray(links)) return null;
  const alternate = links.find((link) => !link.rel || link.rel === 'alternate');
  return stringOrNull(alternate?.href);
}

/** Person names from strings or `{ name }` / `{ email }` objects, joined with commas. */
function namesOf(people: unknown): string | null {
  if (!Array.isArray(people)) return null;
  const names = people
    .map((person) =>
      typeof person === 'string'
        ? person
        : (stringOrNull((person as Loose)?.name) ?? stringOrNull((person as Loose)?.email)),
    )
    .map((name) => stringOrNull(name))
    .filter((name): name is string => name !== null);
  return names.length > 0 ? [...new Set(names)].join(', ') : null;
}

/** Category labels from strings or `{ name }` (RSS), `{ label, term }` (Atom) objects, de-duplicated. */
function labelsOf(categories: unknown): string[] {
  if (!Array.isArray(categories)) return [];
  const labels = categories.map((category) =>
    typeof category === 'string'
      ? stringOrNull(category)
      : (stringOrNull((category as Loose)?.label) ??
        stringOrNull((category as Loose)?.name) ??
        stringOrNull((category as Loose)?.term)),
  );
  return [...new Set(labels.filter((label): label is string => label !== null))];
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value && typeof value === 'object' && 'value' in value)
    return textOf((value as { value: unknown }).value);
  return null;
}

const stringOrNull = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** Resolves a link against the base; only http(s) results are kept. */
export function absolute(link: unknown, base: string): string | null {
  const text = stringOrNull(link);
  if (!text) return null;
  try {
    const url = new URL(text, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Feed dates come as RFC 822 (RSS), RFC 3339 (Atom, JSON) or W3C-DTF (dc:date). Date.parse
 * reads all three; a few feeds use zone names it does not know, which are mapped first.
 */
export function isoDate(value: unknown): string | null {
  const text = stringOrNull(value);
  if (!text) return null;
  const cleaned = text.replace(
    /\b(EST|EDT|CST|CDT|MST|MDT|PST|PDT|UT|GMT|Z)\b/,
    (zone) => ZONES[zone] ?? zone,
  );
  const time = Date.parse(cleaned);
  if (Number.isNaN(time)) return null;
  return new Date(time).toISOString();
}

const ZONES: Record<string, string> = {
  UT: '+0000',
  GMT: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
};

function escapeHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph}</p>`)
    .join('\n');
}
