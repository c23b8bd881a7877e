import { Readable } from 'node:stream';
import { readBody } from '@sluice/http';
import { type IndexItem, type SitemapItem, XMLToSitemapIndexStream, XMLToSitemapItemStream } from 'sitemap';
import { absolute, isoDate } from './parse-feed';
import { assertSafeXml } from './xml-guard';

export interface SitemapEntry {
  url: string;
  lastmod: string | null;
  /** Google News sitemap fields, when present. */
  newsTitle: string | null;
  publishedAt: string | null;
}

export type ParsedSitemap =
  | { kind: 'index'; sitemaps: { url: string; lastmod: string | null }[]; dropped: number }
  | { kind: 'urlset'; entries: SitemapEntry[]; dropped: number };

export interface SitemapParseOptions {
  sitemapUrl: string;
  maxEntries?: number;
  /** Cap on the decompressed size of a `.xml.gz` body. */
  maxBytes?: number;
}

const isGzip = (body: Uint8Array) => body[0] === 0x1f && body[1] === 0x8b;

/**
 * Parses a sitemap or sitemap index (plain or gzip-compressed as a file, which is distinct from
 * Content-Encoding) with the `sitemap` package's stream parsers. Entries beyond `maxEntries`
 * are counted, not kept; only http(s) URLs are kept.
 */
export async function parseSitemapBody(
  body: Uint8Array,
  options: SitemapParseOptions,
): Promise<ParsedSitemap> {
  const maxEntries = options.maxEntries ?? 5000;
  const bytes = isGzip(body)
    ? await readBody(Readable.from([Buffer.from(body)]), 'gzip', options.maxBytes ?? 50 * 1024 * 1024)
    : body;
  const text = Buffer.from(bytes).toString('utf8');
  assertSafeXml(text);
  const head = text.slice(0, 4096);
  if (/<sitemapindex[\s>]/i.test(head)) {
    const items = await collect<IndexItem>(
      new XMLToSitemapIndexStream({ logger: false }),
      text,
      maxEntries,
      /<\/(?:[\w-]+:)?sitemap\s*>/gi,
    );
    const sitemaps = items.kept
      .map((item) => ({ url: absolute(item.url, options.sitemapUrl), lastmod: isoDate(item.lastmod) }))
      .filter((item): item is { url: string; lastmod: string | null } => item.url !== null);
    return { kind: 'index', sitemaps, dropped: items.dropped };
  }
  const items = await collect<SitemapItem>(
    new XMLToSitemapItemStream({ logger: false }),
    text,
    maxEntries,
    /<\/(?:[\w-]+:)?url\s*>/gi,
  );
  const entries: SitemapEntry[] = [];
  for (const item of items.kept) {
    const url = absolute(item.url, options.sitemapUrl);
    if (!url) continue;
    entries.push({
      url,
      lastmod: isoDate(item.lastmod),
      newsTitle: item.news?.title ?? null,
      publishedAt: isoDate(item.news?.publication_date),
    });
  }
  return { kind: 'urlset', entries, dropped: items.dropped };
}

/** Characters handed to the XML parser at a time; the event loop gets a turn between slices. */
const SLICE_CHARS = 16 * 1024;

/**
 * The text in slices with a macrotask turn between them: the `sitemap` parsers are synchronous
 * per chunk, so one 4 MiB chunk would hold the event loop for the whole parse (about a second
 * for 50,000 URLs); 64 KiB slices hold it for a few milliseconds each.
 */
async function* slices(text: string) {
  for (let at = 0; at < text.length; at += SLICE_CHARS) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    yield text.slice(at, at + SLICE_CHARS);
  }
}

/**
 * Reads parsed items until `max` are kept, then stops the parser: entries past the cap are only
 * counted, by their closing tags (a cheap scan), not parsed.
 */
async function collect<T>(parser: NodeJS.ReadWriteStream, text: string, max: number, entryTag: RegExp) {
  const kept: T[] = [];
  const source = Readable.from(slices(text), { objectMode: false });
  source.pipe(parser);
  let full = false;
  for await (const item of parser as AsyncIterable<T>) {
    if (kept.length >= max) {
      full = true;
      break;
    }
    kept.push(item);
  }
  source.destroy();
  if (!full) return { kept, dropped: 0 };
  let entries = 0;
  entryTag.lastIndex = 0;
  while (entryTag.exec(text)) entries++;
  return { kept, dropped: Math.max(0, entries - kept.length) };
}
