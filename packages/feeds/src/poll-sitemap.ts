import { documentIdForUrl, enqueueFetch } from '@sluice/contracts';
import { FetchError, fetchPage } from '@sluice/http';
import { sitemapHintsOf } from './feed-hints';
import type { FeedEventKind } from './feed-store';
import { spreadDelay } from './host-limits';
import { lateness } from './host-turn';
import { buildUserAgent, isOverloadStatus, ROBOTS_AGENT } from './page-fetcher';
import { busyDelay, isRefusal, type PollDependencies } from './poll-feed';
import { RobotsPendingError, type RobotsRules } from './robots';
import { type ParsedSitemap, parseSitemapBody, type SitemapEntry } from './sitemap';

export type SitemapPollOutcome =
  | { status: 'missing' }
  | { status: 'inactive' }
  | { status: 'delayed'; delayMs: number; reason: 'rate-limit' | 'host-busy' }
  /** robots.txt disallows the sitemap: recorded on it, polled again next interval. */
  | { status: 'skipped'; code: string; message: string }
  | {
      status: 'polled';
      urls: number;
      newUrls: number;
      sitemapsRead: number;
      /** Child sitemaps listed but not read this poll (over the fan-out cap or out of time). */
      sitemapsLeft: number;
    }
  | { status: 'failed'; code: string; message: string };

/** Waiting for the host's next token or a free slot inside one job is fine up to this long. */
const MAX_INLINE_WAIT_MS = 5_000;
/** Notes (skips, child failures) recorded as events per poll, at most. */
const MAX_NOTES_PER_POLL = 5;

interface Note {
  kind: FeedEventKind;
  code: string;
  message: string;
  url: string;
}

/** Sitemap addresses compared for loop detection: no fragment, host case-folded by URL. */
const sameSitemap = (url: string) => {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
};

/**
 * Polls a sitemap or sitemap index and enqueues the URLs never seen for this sitemap.
 *
 * robots.txt is honoured for every sitemap read (a Disallow is a recorded skip), unlike feed
 * polls by default: a sitemap is a crawler's entry point, so it follows crawler rules. Each
 * request takes the host's shared rate-limit token and a concurrency slot, like page fetches.
 * Indexes are followed `sitemapMaxDepth` levels down, reading at most `sitemapMaxChildren`
 * child sitemaps per poll (newest `lastmod` first); a sitemap already read in this poll (an
 * index listing itself or a parent) is skipped as a loop and recorded.
 */
export async function pollSitemapOnce(
  deps: PollDependencies,
  sitemapId: string,
  options: { force?: boolean } = {},
): Promise<SitemapPollOutcome> {
  const { store, settings } = deps;
  const sitemap = await store.getSitemap(sitemapId);
  if (!sitemap) return { status: 'missing' };
  if (sitemap.status !== 'active' && !options.force) return { status: 'inactive' };

  let rules: RobotsRules;
  try {
    rules = await deps.robots.rulesFor(sitemap.url);
  } catch (error) {
    if (!(error instanceof RobotsPendingError)) throw error;
    return { status: 'delayed', reason: 'host-busy', delayMs: spreadDelay(error.delayMs) };
  }
  if (!rules.isAllowed(sitemap.url)) {
    const message = `robots.txt disallows ${sitemap.url} for ${ROBOTS_AGENT}`;
    await store.recordSitemapSkip(sitemap.id, { code: 'robots-disallowed', message });
    return { status: 'skipped', code: 'robots-disallowed', message };
  }
  const host = new URL(sitemap.url).host;
  const release = await deps.limits.acquire(host);
  if (!release) return { status: 'delayed', reason: 'host-busy', delayMs: busyDelay() };
  const firstWait = await deps.limits.take(host, rules.crawlDelayMs).catch(async (error) => {
    await release();
    throw error;
  });
  if (firstWait > 0) {
    await release();
    return { status: 'delayed', reason: 'rate-limit', delayMs: spreadDelay(firstWait) };
  }

  const fetchSitemap = async (url: string) => {
    const page = await fetchPage(url, {
      ...settings.fetch,
      maxBytes: settings.maxFeedBytes,
      userAgent: buildUserAgent(settings.userAgent, settings.contactUrl),
      onRequestSent: lateness(deps.limits, new URL(url).host, Date.now()),
    });
    const parsed = await parseSitemapBody(page.body, {
      sitemapUrl: page.finalUrl,
      maxEntries: settings.maxUrlsPerSitemap,
      maxBytes: settings.maxFeedBytes * 10,
    });
    return { parsed, finalUrl: page.finalUrl };
  };

  const notes: Note[] = [];
  try {
    const root = await fetchSitemap(sitemap.url).finally(release);
    const visited = new Set([sameSitemap(sitemap.url), sameSitemap(root.finalUrl)]);
    const entries: SitemapEntry[] = [];
    let sitemapsRead = 1;
    let sitemapsLeft = 0;
    // Breadth first: every index's own children before any grandchild.
    let level: { parsed: ParsedSitemap; depth: number }[] = [{ parsed: root.parsed, depth: 0 }];
    let childBudget = settings.sitemapMaxChildren;
    let outOfTime = false;
    while (level.length > 0) {
      const next: typeof level = [];
      for (const { parsed, depth } of level) {
        if (parsed.kind === 'urlset') {
          entries.push(...parsed.entries);
          continue;
        }
        const children = [...parsed.sitemaps].sort((a, b) =>
          (b.lastmod ?? '').localeCompare(a.lastmod ?? ''),
        );
        if (depth + 1 > settings.sitemapMaxDepth) {
          if (depth > 0) {
            notes.push({
              kind: 'skipped',
              code: 'sitemap-depth',
              message: `sitemap index nested deeper than ${settings.sitemapMaxDepth} level(s); not followed`,
              url: children[0]?.url ?? sitemap.url,
            });
          }
          sitemapsLeft += children.length;
          continue;
        }
        for (const child of children) {
          if (entries.length >= settings.maxUrlsPerSitemap || childBudget <= 0 || outOfTime) {
            sitemapsLeft++;
            continue;
          }
          const key = sameSitemap(child.url);
          if (visited.has(key)) {
            notes.push({
              kind: 'skipped',
              code: 'sitemap-loop',
              message:
                'sitemap index lists a sitemap already read in this poll (itself or a parent); skipped',
              url: child.url,
            });
            continue;
          }
          visited.add(key);
          childBudget--;
          const read = await readChild(deps, child.url, fetchSitemap);
          if (read.status === 'out-of-time') {
            outOfTime = true;
            sitemapsLeft++;
            continue;
          }
          if (read.status === 'note') {
            notes.push(read.note);
            continue;
          }
          sitemapsRead++;
          visited.add(sameSitemap(read.finalUrl));
          next.push({ parsed: read.parsed, depth: depth + 1 });
        }
      }
      level = next;
    }
    const kept = entries.slice(0, settings.maxUrlsPerSitemap);
    const urls = kept.map((entry) => entry.url);
    const byUrl = new Map(kept.map((entry) => [entry.url, entry]));
    const fresh = await store.rememberSitemapUrls(sitemap.id, urls);
    const enqueuedAt = new Date().toISOString();
    for (const url of fresh) {
      const entry = byUrl.get(url);
      await enqueueFetch(deps.queues, {
        documentId: documentIdForUrl(url),
        url,
        hints: entry ? sitemapHintsOf(entry) : null,
        source: sitemap.url.slice(0, 200),
        enqueuedAt,
      });
    }
    await store.recordSitemapPoll(sitemap.id, { ok: true, newUrls: fresh.length });
    await recordNotes(deps, sitemap.id, notes);
    return { status: 'polled', urls: urls.length, newUrls: fresh.length, sitemapsRead, sitemapsLeft };
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error';
    const message = (error as Error).message ?? String(error);
    const gone = error instanceof FetchError && error.status === 410;
    // The whole host said "not now": every request kind to it waits (pages, feeds, other copies).
    if (error instanceof FetchError && isOverloadStatus(error.status)) {
      await deps.limits.pauseHost(new URL(sitemap.url).host, error.retryAfterMs);
    }
    await store.recordSitemapPoll(sitemap.id, {
      ok: false,
      code: gone ? 'gone' : code,
      message,
      maxFailures: settings.maxFailures,
      disable: gone || code.startsWith('blocked-'),
      refused: isRefusal(code),
    });
    return { status: 'failed', code: gone ? 'gone' : code, message };
  }
}

type ChildRead =
  | { status: 'read'; parsed: ParsedSitemap; finalUrl: string }
  | { status: 'note'; note: Note }
  | { status: 'out-of-time' };

/** One child sitemap: robots.txt, a slot and a token for its host (waiting a little), then read. */
async function readChild(
  deps: PollDependencies,
  url: string,
  fetchSitemap: (url: string) => Promise<{ parsed: ParsedSitemap; finalUrl: string }>,
): Promise<ChildRead> {
  let rules: RobotsRules;
  try {
    rules = await deps.robots.rulesFor(url);
  } catch (error) {
    if (error instanceof RobotsPendingError) return { status: 'out-of-time' };
    throw error;
  }
  if (!rules.isAllowed(url)) {
    return {
      status: 'note',
      note: {
        kind: 'skipped',
        code: 'robots-disallowed',
        message: `robots.txt disallows ${url} for ${ROBOTS_AGENT}`,
        url,
      },
    };
  }
  const host = new URL(url).host;
  const deadline = Date.now() + MAX_INLINE_WAIT_MS;
  let release = await deps.limits.acquire(host);
  while (!release) {
    if (Date.now() + 250 > deadline) return { status: 'out-of-time' };
    await sleep(250);
    release = await deps.limits.acquire(host);
  }
  try {
    // A token taken, not just waited for: the request goes out only with one in hand.
    for (;;) {
      const waitMs = await deps.limits.take(host, rules.crawlDelayMs);
      if (waitMs === 0) break;
      if (Date.now() + waitMs > deadline) return { status: 'out-of-time' };
      await sleep(waitMs);
    }
    const read = await fetchSitemap(url);
    return { status: 'read', ...read };
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error';
    return {
      status: 'note',
      note: {
        kind: isRefusal(code) ? 'refused' : 'failed',
        code,
        message: `child sitemap not read: ${(error as Error).message}`,
        url,
      },
    };
  } finally {
    await release();
  }
}

async function recordNotes(deps: PollDependencies, sitemapId: string, notes: Note[]) {
  for (const note of notes.slice(0, MAX_NOTES_PER_POLL)) {
    await deps.store.recordEvent({ sitemapId }, note);
  }
  if (notes.length > MAX_NOTES_PER_POLL) {
    await deps.store.recordEvent(
      { sitemapId },
      {
        kind: 'skipped',
        code: 'more-notes',
        message: `${notes.length - MAX_NOTES_PER_POLL} more skips or child failures in this poll`,
      },
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
