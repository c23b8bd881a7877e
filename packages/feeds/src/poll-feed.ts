import {
  documentIdForContent,
  documentIdForUrl,
  enqueueFetch,
  MAX_RAW_BYTES,
  type QueueMap,
} from '@sluice/contracts';
import { FetchError, fetchPage } from '@sluice/http';
import { decodeText } from './decode-text';
import { feedHintsOf } from './feed-hints';
import type { Feed, FeedStore } from './feed-store';
import { type HostLimits, spreadDelay } from './host-limits';
import { itemKey } from './item-key';
import { buildUserAgent, ROBOTS_AGENT } from './page-fetcher';
import { type FeedItem, parseFeedTextOffLoop } from './parse-feed';
import { type FeedParsePool, sharedFeedParsePool } from './parse-pool';
import type { RobotsCache } from './robots';
import { backoffInterval, nextPollInterval } from './schedule';
import type { FeedSettings } from './settings';

export interface PollDependencies {
  store: FeedStore;
  queues: QueueMap;
  limits: HostLimits;
  /** robots.txt per origin: always checked for sitemaps, for feeds when `feedsObeyRobots`. */
  robots: RobotsCache;
  settings: FeedSettings;
  /** Threads for large feeds; the process's shared pool when not given. */
  parsePool?: FeedParsePool;
}

export type PollOutcome =
  | { status: 'missing' }
  | { status: 'inactive'; feedStatus: Feed['status'] }
  | { status: 'not-due'; nextPollAt: string }
  | { status: 'delayed'; delayMs: number; reason: 'rate-limit' | 'host-busy' }
  /** Not polled on purpose (robots.txt); recorded on the feed, polled again next interval. */
  | { status: 'skipped'; code: string; message: string; intervalMs: number }
  | { status: 'not-modified'; intervalMs: number; previousIntervalMs: number }
  | {
      status: 'polled';
      items: number;
      newItems: number;
      enqueued: number;
      intervalMs: number;
      previousIntervalMs: number;
      movedTo: string | null;
    }
  | {
      status: 'failed';
      code: string;
      message: string;
      feedStatus: Feed['status'];
      intervalMs: number;
      previousIntervalMs: number;
    };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * Polls one feed: conditional GET, parse, de-duplicate items, enqueue new ones, and store the
 * outcome with the next interval. Never throws for feed problems: they are recorded on the feed
 * and returned as `failed`, so the caller decides how to surface them.
 */
export async function pollFeedOnce(
  deps: PollDependencies,
  feedId: string,
  options: { force?: boolean; now?: number } = {},
): Promise<PollOutcome> {
  const { store, settings } = deps;
  const now = options.now ?? Date.now();
  const feed = await store.getFeed(feedId);
  if (!feed) return { status: 'missing' };
  if (feed.status !== 'active' && !options.force) return { status: 'inactive', feedStatus: feed.status };
  // A schedule that fires early (moved schedule, duplicate job) does not poll twice.
  if (!options.force && feed.nextPollAt && Date.parse(feed.nextPollAt) - now > feed.intervalMs / 2) {
    return { status: 'not-due', nextPollAt: feed.nextPollAt };
  }
  const host = new URL(feed.url).host;
  let crawlDelayMs = 0;
  if (settings.feedsObeyRobots) {
    const rules = await deps.robots.rulesFor(feed.url);
    if (!rules.isAllowed(feed.url)) {
      const message = `robots.txt disallows ${feed.url} for ${ROBOTS_AGENT}`;
      await store.recordFeedSkip(feed.id, {
        code: 'robots-disallowed',
        message,
        intervalMs: feed.intervalMs,
      });
      return { status: 'skipped', code: 'robots-disallowed', message, intervalMs: feed.intervalMs };
    }
    crawlDelayMs = rules.crawlDelayMs;
  }
  // The same per-host concurrency cap and rate limit as page fetches, shared by every copy.
  const release = await deps.limits.acquire(host);
  if (!release) return { status: 'delayed', reason: 'host-busy', delayMs: busyDelay() };
  let released = false;
  const releaseOnce = async () => {
    if (released) return;
    released = true;
    await release();
  };

  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (feed.etag) headers['if-none-match'] = feed.etag;
  if (feed.lastModified) headers['if-modified-since'] = feed.lastModified;
  const previousIntervalMs = feed.intervalMs;

  try {
    const waitMs = await deps.limits.take(host, crawlDelayMs);
    if (waitMs > 0) return { status: 'delayed', reason: 'rate-limit', delayMs: spreadDelay(waitMs) };
    const page = await fetchPage(feed.url, {
      ...settings.fetch,
      maxBytes: settings.maxFeedBytes,
      userAgent: buildUserAgent(settings.userAgent, settings.contactUrl),
      headers: { ...settings.fetch.headers, ...headers },
    }).finally(releaseOnce);
    const hints = {
      cacheControl: page.headers['cache-control'] ?? null,
      expires: page.headers.expires ?? null,
      now,
    };
    if (page.notModified) {
      const intervalMs = Math.max(
        previousIntervalMs,
        nextPollInterval({ itemDates: [], ...hints }, settings.bounds),
      );
      const bounded = Math.min(intervalMs, settings.bounds.maxIntervalMs);
      await store.recordPollSuccess(feed.id, { intervalMs: bounded });
      return { status: 'not-modified', intervalMs: bounded, previousIntervalMs };
    }
    // Yield once so a burst of feed jobs does not parse back to back without I/O in between.
    await new Promise((resolve) => setImmediate(resolve));
    // Large feeds parse in a thread: one huge item cannot hold the event loop.
    const parsed = await parseFeedTextOffLoop(decodeText(page.body, page.contentType), {
      feedUrl: page.finalUrl,
      maxItems: settings.maxItemsPerFeed,
      offloadChars: settings.parseOffloadChars,
      pool: deps.parsePool ?? sharedFeedParsePool({ size: settings.parseThreads }),
    });
    const movedTo =
      page.permanentRedirect && page.permanentRedirect !== feed.url ? page.permanentRedirect : null;
    if (movedTo) await store.updateFeedUrl(feed.id, movedTo);

    const candidates = parsed.items.map((item) => ({
      item,
      key: itemKey(item),
      documentId: documentIdOf(item),
    }));
    const fresh = await store.rememberItems(
      feed.id,
      candidates.map(({ key, item, documentId }) => ({ key, url: item.url, documentId })),
    );
    const freshKeys = new Set(fresh.map((item) => item.key));
    let enqueued = 0;
    const useContent = settings.useFullContent || feed.fullContent;
    for (const { item, key, documentId } of candidates) {
      if (!freshKeys.has(key) || !documentId) continue;
      // The source an analyst filters by is the publication (the feed's title), not the feed's address.
      const source = parsed.title || feed.title || new URL(movedTo ?? feed.url).hostname;
      await enqueueItem(deps.queues, item, documentId, source, useContent);
      enqueued++;
    }
    const intervalMs = nextPollInterval(
      { itemDates: parsed.items.map((item) => item.publishedAt), ttlMinutes: parsed.ttlMinutes, ...hints },
      settings.bounds,
    );
    await store.recordPollSuccess(feed.id, {
      etag: page.headers.etag ?? null,
      lastModified: page.headers['last-modified'] ?? null,
      intervalMs,
      title: parsed.title,
      siteUrl: parsed.siteUrl,
      newItems: fresh.length,
    });
    return {
      status: 'polled',
      items: parsed.items.length,
      newItems: fresh.length,
      enqueued,
      intervalMs,
      previousIntervalMs,
      movedTo,
    };
  } catch (error) {
    const code = errorCode(error);
    const message = (error as Error).message ?? String(error);
    const retryAfterMs = error instanceof FetchError ? error.retryAfterMs : undefined;
    const gone = error instanceof FetchError && error.status === 410;
    const blocked = code.startsWith('blocked-');
    const intervalMs = backoffInterval(feed.consecutiveFailures + 1, settings.bounds, retryAfterMs);
    const updated = await store.recordPollFailure(feed.id, {
      code: gone ? 'gone' : code,
      message,
      intervalMs,
      maxFailures: settings.maxFailures,
      disable: gone || blocked,
      refused: isRefusal(code),
    });
    return {
      status: 'failed',
      code: gone ? 'gone' : code,
      message,
      feedStatus: updated?.status ?? feed.status,
      intervalMs,
      previousIntervalMs,
    };
  } finally {
    await releaseOnce();
  }
}

/** A host already at its concurrency cap: come back in a second or two. */
export const busyDelay = () => 1000 + Math.floor(Math.random() * 1000);

/** Refused on our side, not failed on theirs: blocked addresses, unsafe or oversized XML. */
export function isRefusal(code: string): boolean {
  return (
    code.startsWith('blocked-') ||
    code === 'unsafe-xml' ||
    code === 'body-too-large' ||
    code === 'feed-parse-timeout'
  );
}

function documentIdOf(item: FeedItem): string | null {
  if (item.url) {
    try {
      return documentIdForUrl(item.url);
    } catch {
      // not an http(s) link: fall back to content
    }
  }
  if (item.content) return documentIdForContent(item.content);
  return null;
}

async function enqueueItem(
  queues: QueueMap,
  item: FeedItem,
  documentId: string,
  source: string,
  useContent: boolean,
) {
  const enqueuedAt = new Date().toISOString();
  const withContent =
    item.content && (useContent || !item.url) && Buffer.byteLength(item.content) <= MAX_RAW_BYTES;
  if (withContent) {
    const title = item.title ? `<title>${escapeHtml(item.title)}</title>` : '';
    const published = item.publishedAt
      ? `<meta property="article:published_time" content="${item.publishedAt}">`
      : '';
    const heading = item.title ? `<h1>${escapeHtml(item.title)}</h1>` : '';
    await enqueueFetch(queues, {
      documentId,
      url: item.url,
      source: source.slice(0, 200),
      raw: {
        body: `<html><head>${title}${published}</head><body><article>${heading}${item.content}</article></body></html>`,
        encoding: 'utf8',
        contentType: 'text/html',
      },
      hints: feedHintsOf(item),
      enqueuedAt,
    });
    return;
  }
  const hints = feedHintsOf(item);
  await enqueueFetch(queues, { documentId, url: item.url, source: source.slice(0, 200), hints, enqueuedAt });
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'error';
}
