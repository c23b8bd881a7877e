import type { FeedHints } from '@sluice/contracts';
import type { FeedItem } from './parse-feed';
import type { SitemapEntry } from './sitemap';

const MAX_TITLE = 500;
const MAX_AUTHOR = 200;
const MAX_CATEGORY = 100;
const MAX_CATEGORIES = 20;
const MAX_LANG = 35;

/** Cuts a string to `max` characters at a word boundary when one is near. */
function bounded(text: string | null, max: number): string | null {
  if (!text) return null;
  const squished = text.replace(/\s+/g, ' ').trim();
  if (squished.length <= max) return squished || null;
  const cut = squished.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trim();
}

/**
 * What a feed item tells the fetch job about its page, within the contract's bounds. The item's
 * `publishedAt` falls back to its update time when the feed gives no publication time: that one
 * travels as `updatedAt` only, so extraction knows which it is.
 */
export function feedHintsOf(item: FeedItem): FeedHints {
  const published = item.publishedAt && item.publishedAt !== item.updatedAt ? item.publishedAt : null;
  const categories = item.categories
    .map((category) => bounded(category, MAX_CATEGORY))
    .filter((category): category is string => category !== null)
    .slice(0, MAX_CATEGORIES);
  return {
    publishedAt: published,
    updatedAt: item.updatedAt,
    title: bounded(item.title, MAX_TITLE),
    author: bounded(item.author, MAX_AUTHOR),
    categories,
    lang: bounded(item.language, MAX_LANG),
  };
}

/**
 * What a news sitemap entry tells the fetch job: its `news:publication_date` and `news:title`.
 * `lastmod` stays behind: sitemaps are regenerated wholesale, so it dates the file, not the page.
 */
export function sitemapHintsOf(entry: SitemapEntry): FeedHints | null {
  if (!entry.publishedAt && !entry.newsTitle) return null;
  return {
    publishedAt: entry.publishedAt,
    updatedAt: null,
    title: bounded(entry.newsTitle, MAX_TITLE),
    author: null,
    categories: [],
  };
}
