import { FetchError, type FetchedPage, type FetchPolicy, fetchPage } from '@sluice/http';
import type { Cluster, Redis } from 'ioredis';
import { isDocumentContentType } from './content-type';
import { type HostLimitOptions, HostLimits, spreadDelay } from './host-limits';
import { takeHostTurn } from './host-turn';
import { RobotsCache, RobotsPendingError } from './robots';

export type PageFetchOutcome =
  | { status: 'fetched'; page: FetchedPage }
  /** Not fetched or not usable, for good: record the reason and complete the job. */
  | { status: 'skipped'; reason: 'robots' | 'content-type'; detail: string }
  /**
   * Not now: over the host's budget, or the host is paused (it answered 429/503, or its
   * robots.txt cannot be read yet). Retry the job after `delayMs` (delay it, do not fail it).
   */
  | {
      status: 'delayed';
      reason: 'rate-limit' | 'host-busy' | 'host-paused';
      delayMs: number;
      detail?: string;
    };

export interface PageFetcherOptions {
  redis: Redis | Cluster;
  policy?: FetchPolicy;
  /** Product name and version (`Sluice/0.1`); the contact URL is appended. */
  userAgent?: string;
  contactUrl?: string;
  hostLimits?: Partial<HostLimitOptions>;
  /** Share these with the feed pollers so every request kind draws from one budget and one robots cache. */
  limits?: HostLimits;
  robots?: RobotsCache;
  robotsTtlMs?: number;
  /** Skip the robots.txt check (pages the operator pointed at explicitly, the demo feed). */
  ignoreRobots?: boolean;
}

export interface PageFetcher {
  fetch(url: string, extra?: Pick<FetchPolicy, 'headers' | 'signal'>): Promise<PageFetchOutcome>;
  /** The user agent sent, for logs. */
  readonly userAgent: string;
  readonly limits: HostLimits;
}

export const ROBOTS_AGENT = 'Sluice';

export function buildUserAgent(product = 'Sluice/0.1', contactUrl?: string): string {
  return contactUrl ? `${product} (+${contactUrl})` : product;
}

/** 429 and 503 say "not now" about the whole host, not about this page. */
export const isOverloadStatus = (status: number | undefined) => status === 429 || status === 503;

/**
 * One call for the fetcher's document handler: robots.txt, the shared per-host rate limit and
 * concurrency cap, then the guarded fetch and the content-type check. A 429 or 503 pauses the
 * host for every copy (Retry-After, or a back-off growing while the host keeps refusing) and
 * the page waits for it instead of failing.
 */
export function createPageFetcher(options: PageFetcherOptions): PageFetcher {
  const userAgent = buildUserAgent(options.userAgent, options.contactUrl);
  const policy: FetchPolicy = { ...options.policy, userAgent };
  const limits = options.limits ?? new HostLimits(options.redis, options.hostLimits);
  const robots =
    options.robots ??
    new RobotsCache(options.redis, {
      agent: ROBOTS_AGENT,
      ttlMs: options.robotsTtlMs ?? 3600_000,
      errorTtlMs: 5 * 60_000,
      policy,
      limits,
    });
  return {
    userAgent,
    limits,
    async fetch(url, extra = {}) {
      const host = new URL(url).host;
      if (!options.ignoreRobots) {
        let rules: Awaited<ReturnType<RobotsCache['rulesFor']>>;
        try {
          rules = await robots.rulesFor(url);
        } catch (error) {
          if (!(error instanceof RobotsPendingError)) throw error;
          return {
            status: 'delayed',
            reason: 'host-paused',
            delayMs: spreadDelay(error.delayMs),
            detail: error.message,
          };
        }
        if (!rules.isAllowed(url)) {
          return {
            status: 'skipped',
            reason: 'robots',
            detail: `robots.txt disallows ${url} for ${ROBOTS_AGENT}`,
          };
        }
      }
      // The Crawl-delay read with robots.txt is recorded for the host; the bucket applies it.
      const turn = await takeHostTurn(limits, host);
      if (!turn.release) return { status: 'delayed', reason: turn.reason, delayMs: turn.delayMs };
      try {
        const page = await fetchPage(url, {
          ...policy,
          ...extra,
          headers: { ...policy.headers, ...extra.headers },
          onRequestSent: turn.sent,
        });
        await limits.hostRecovered(host);
        if (!page.notModified && !isDocumentContentType(page.contentType)) {
          return { status: 'skipped', reason: 'content-type', detail: `not a document: ${page.contentType}` };
        }
        return { status: 'fetched', page };
      } catch (error) {
        if (!(error instanceof FetchError) || !isOverloadStatus(error.status)) throw error;
        const { pauseMs, overloads } = await limits.pauseHost(host, error.retryAfterMs);
        return {
          status: 'delayed',
          reason: 'host-paused',
          delayMs: spreadDelay(pauseMs),
          detail: `${host} answered ${error.status} (${overloads} in a row); host paused ${pauseMs} ms`,
        };
      } finally {
        await turn.release();
      }
    },
  };
}
