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
import { takeHostTurn } from './host-turn';
import { itemKey } from './item-key';
import { buildUserAgent, isOverloadStatus, ROBOTS_AGENT } from './page-fetcher';
import { type FeedItem, parseFeedTextOffLoop } from './parse-feed';
import { type FeedParsePool, sharedFeedParsePool } from './parse-pool';
import { retryFailedItems } from './retry-failed-items';
import { type RobotsCache, RobotsPendingError, type RobotsRules } from './robots';
import { planAfterNotModified, planBackoff, planNextPoll } from './schedule';
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
  | { status: 'delayed'; delayMs: number; reason: 'rate-limit' | 'host-busy' | 'host-paused' | 'not-due' }
  /** Not polled on purpose (robots.txt); recorded on the feed, polled again next interval. */
  | { status: 'skipped'; code: string; message: string; intervalMs: number }
  | { status: 'not-modified'; intervalMs: number; previousIntervalMs: number; reason: string }
  | {
      status: 'polled';
      items: number;
      newItems: number;
      enqueued: number;
      intervalMs: number;
      previousIntervalMs: number;
      movedTo: string | null;
      reason: string;
    }
  | {
      status: 'failed';
      code: string;
      message: string;
      feedStatus: Feed['status'];
      intervalMs: number;
      previousIntervalMs: number;
      /** The host said "not now" (429/503): recorded, and polled again after its wait; not a fault. */
      deferred: boolean;
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
  if (!options.force && feed.nextPollAt) {
    const earlyMs = Date.parse(feed.nextPollAt) - now;
    // A schedule that fires early (moved schedule, duplicate job) does not poll twice.
    if (earlyMs > feed.intervalMs / 2) return { status: 'not-due', nextPollAt: feed.nextPollAt };
    // A wait the server asked for, or a back-off, is kept to the millisecond: the job waits.
    if (earlyMs > 0 && !isCadence(feed.nextPollReason)) {
      return { status: 'delayed', reason: 'not-due', delayMs: earlyMs };
    }
  }
  // Two jobs of one feed at once (its schedule and a refresh, a delayed job coming back) would
  // both pass the checks above before either records its poll: one polls, the other stands down.
  const claimMs = Math.max(POLL_CLAIM_MS, (settings.fetch.timeoutMs ?? 30_000) * 3);
  if (!(await store.claimPoll(feed.id, claimMs))) {
    return { status: 'not-due', nextPollAt: feed.nextPollAt ?? new Date(now).toISOString() };
  }
  try {
    return await pollClaimed(deps, feed, now);
  } finally {
    await store.releasePoll(feed.id);
  }
}

/** Longest a poll may hold its claim: the fetch's own time limit, and then some. */
const POLL_CLAIM_MS = 120_000;

async function pollClaimed(deps: PollDependencies, feed: Feed, now: number): Promise<PollOutcome> {
  const { store, settings } = deps;
  const host = new URL(feed.url).host;
  // robots.txt is read for every host polled: its Crawl-delay holds for feeds as for pages.
  let rules: RobotsRules;
  try {
    rules = await deps.robots.rulesFor(feed.url);
  } catch (error) {
    if (!(error instanceof RobotsPendingError)) throw error;
    return { status: 'delayed', reason: 'host-paused', delayMs: spreadDelay(error.delayMs) };
  }
  if (settings.feedsObeyRobots && !rules.isAllowed(feed.url)) {
    const message = `robots.txt disallows ${feed.url} for ${ROBOTS_AGENT}`;
    await store.recordFeedSkip(feed.id, {
      code: 'robots-disallowed',
      message,
      intervalMs: feed.intervalMs,
    });
    return { status: 'skipped', code: 'robots-disallowed', message, intervalMs: feed.intervalMs };
  }
  // The same per-host budget as every other request to the host, shared by every copy.
  const turn = await takeHostTurn(deps.limits, host);
  if (!turn.release) return { status: 'delayed', reason: turn.reason, delayMs: turn.delayMs };
  let released = false;
  const releaseOnce = async () => {
    if (released) return;
    released = true;
    await turn.release();
  };

  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (feed.etag) headers['if-none-match'] = feed.etag;
  if (feed.lastModified) headers['if-modified-since'] = feed.lastModified;
  const previousIntervalMs = feed.intervalMs;

  try {
    const page = await fetchPage(feed.url, {
      ...settings.fetch,
      maxBytes: settings.maxFeedBytes,
      userAgent: buildUserAgent(settings.userAgent, settings.contactUrl),
      headers: { ...settings.fetch.headers, ...headers },
      onRequestSent: turn.sent,
    }).finally(releaseOnce);
    await deps.limits.hostRecovered(host);
    const hints = {
      cacheControl: page.headers['cache-control'] ?? null,
      expires: page.headers.expires ?? null,
      now,
    };
    if (page.notModified) {
      // Nothing new this once says nothing about the cadence: keep it, back off gently.
      const plan = planAfterNotModified(
        { previousIntervalMs, cadenceMs: feed.cadenceMs, ttlMs: feed.ttlMs },
        hints,
        settings.bounds,
      );
      await store.recordPollSuccess(feed.id, { intervalMs: plan.intervalMs, reason: plan.reason });
      return { status: 'not-modified', intervalMs: plan.intervalMs, previousIntervalMs, reason: plan.reason };
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
    const seen = candidates.filter(({ key }) => !freshKeys.has(key));
    await retryFailedItems(
      deps,
      feed.id,
      seen.map(({ key, item, documentId }) => ({ key, url: item.url, documentId })),
      { now },
    );
    const plan = planNextPoll(
      { itemDates: parsed.items.map((item) => item.publishedAt), ttlMinutes: parsed.ttlMinutes, ...hints },
      settings.bounds,
    );
    const intervalMs = plan.intervalMs;
    await store.recordPollSuccess(feed.id, {
      etag: page.headers.etag ?? null,
      lastModified: page.headers['last-modified'] ?? null,
      intervalMs,
      title: parsed.title,
      siteUrl: parsed.siteUrl,
      newItems: fresh.length,
      reason: plan.reason,
      cadenceMs: plan.cadenceMs,
      ttlMs: parsed.ttlMinutes ? parsed.ttlMinutes * 60_000 : null,
    });
    return {
      status: 'polled',
      items: parsed.items.length,
      newItems: fresh.length,
      enqueued,
      intervalMs,
      previousIntervalMs,
      movedTo,
      reason: plan.reason,
    };
  } catch (error) {
    const code = errorCode(error);
    const message = (error as Error).message ?? String(error);
    let retryAfterMs = error instanceof FetchError ? error.retryAfterMs : undefined;
    if (error instanceof FetchError && isOverloadStatus(error.status)) {
      // The whole host said "not now": pause it for pages and every copy too.
      const { pauseMs } = await deps.limits.pauseHost(host, retryAfterMs);
      retryAfterMs = Math.max(retryAfterMs ?? 0, pauseMs);
    }
    const gone = error instanceof FetchError && error.status === 410;
    const blocked = code.startsWith('blocked-');
    const plan = planBackoff(feed.consecutiveFailures + 1, settings.bounds, retryAfterMs);
    const intervalMs = plan.intervalMs;
    const updated = await store.recordPollFailure(feed.id, {
      code: gone ? 'gone' : code,
      message,
      intervalMs,
      maxFailures: settings.maxFailures,
      disable: gone || blocked,
      refused: isRefusal(code),
      reason: plan.reason,
    });
    return {
      status: 'failed',
      code: gone ? 'gone' : code,
      message,
      feedStatus: updated?.status ?? feed.status,
      intervalMs,
      previousIntervalMs,
      deferred: error instanceof FetchError && isOverloadStatus(error.status),
    };
  } finally {
    await releaseOnce();
  }
}

export { busyDelay } from './host-turn';

/**
 * The next poll follows the cadence Sluice learnt (a little early is fine), not a wait the
 * server asked for (<ttl>, max-age, Expires, Retry-After) or a back-off, which are kept exactly.
 */
const isCadence = (reason: string | null) =>
  !reason ||
  (/^(cadence learnt|not modified: cadence|too few dated items)/.test(reason) &&
    !/ is longer than /.test(reason));

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
