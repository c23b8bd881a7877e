import { load } from 'cheerio';

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
]);

/** Paths where sites commonly serve their feed, tried when a page advertises none. */
export const COMMON_FEED_PATHS = [
  '/feed',
  '/rss',
  '/rss.xml',
  '/feed.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.json',
  '/feeds/posts/default',
];

/** Feed URLs a page advertises with `<link rel="alternate" type="...">`, absolute, in order. */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  const $ = load(html);
  const base = $('base[href]').attr('href');
  const baseUrl = base ? (safeUrl(base, pageUrl) ?? pageUrl) : pageUrl;
  const found: string[] = [];
  $('link[rel][href]').each((_, element) => {
    const rel = ($(element).attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = ($(element).attr('type') ?? '').toLowerCase().split(';')[0]!.trim();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) return;
    const url = safeUrl($(element).attr('href')!, baseUrl);
    if (url && !found.includes(url)) found.push(url);
  });
  return found;
}

/** Candidate feed URLs for a site when the page advertises none. */
export function commonFeedUrls(siteUrl: string): string[] {
  return COMMON_FEED_PATHS.map((path) => new URL(path, siteUrl).href);
}

function safeUrl(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
