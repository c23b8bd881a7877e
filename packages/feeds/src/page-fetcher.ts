import { type FetchedPage, type FetchPolicy, fetchPage } from '@sluice/http';
import type { Redis } from 'ioredis';
import { isDocumentContentType } from './content-type';
import { type HostLimitOptions, HostLimits, spreadDelay } from './host-limits';
import { RobotsCache } from './robots';

export type PageFetchOutcome =
  | { status: 'fetched'; page: FetchedPage }
  /** Not fetched or not usable, for good: record the reason and complete the job. */
  | { status: 'skipped'; reason: 'robots' | 'content-type'; detail: string }
  /** Over the host's budget: retry the job after `delayMs` (delay it, do not fail it). */
  | { status: 'delayed'; reason: 'rate-limit' | 'host-busy'; delayMs: number };

export interface PageFetcherOptions {
  redis: Redis;
  policy?: FetchPolicy;
  /** Product name and version (`Sluice/0.1`); the contact URL is appended. */
  userAgent?: string;
  contactUrl?: string;
  hostLimits?: Partial<HostLimitOptions>;
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

/**
 * One call for the fetcher's document handler: robots.txt, the shared per-host rate limit and
 * concurrency cap, then the guarded fetch and the content-type check.
 */
export function createPageFetcher(options: PageFetcherOptions): PageFetcher {
  const userAgent = buildUserAgent(options.userAgent, options.contactUrl);
  const policy: FetchPolicy = { ...options.policy, userAgent };
  const limits = new HostLimits(options.redis, options.hostLimits);
  const robots = new RobotsCache(options.redis, {
    agent: ROBOTS_AGENT,
    ttlMs: options.robotsTtlMs ?? 3600_000,
    errorTtlMs: 5 * 60_000,
    policy,
  });
  return {
    userAgent,
    limits,
    async fetch(url, extra = {}) {
      const host = new URL(url).host;
      let crawlDelayMs = 0;
      if (!options.ignoreRobots) {
        const rules = await robots.rulesFor(url);
        if (!rules.isAllowed(url)) {
          return {
            status: 'skipped',
            reason: 'robots',
            detail: `robots.txt disallows ${url} for ${ROBOTS_AGENT}`,
          };
        }
        crawlDelayMs = rules.crawlDelayMs;
      }
      const release = await limits.acquire(host);
      if (!release)
        return { status: 'delayed', reason: 'host-busy', delayMs: 1000 + Math.floor(Math.random() * 1000) };
      try {
        const waitMs = await limits.take(host, crawlDelayMs);
        if (waitMs > 0) return { status: 'delayed', reason: 'rate-limit', delayMs: spreadDelay(waitMs) };
        const page = await fetchPage(url, {
          ...policy,
          ...extra,
          headers: { ...policy.headers, ...extra.headers },
        });
        if (!page.notModified && !isDocumentContentType(page.contentType)) {
          return { status: 'skipped', reason: 'content-type', detail: `not a document: ${page.contentType}` };
        }
        return { status: 'fetched', page };
      } finally {
        await release();
      }
    },
  };
}
