import type { FetchPolicy } from '@sluice/http';
import type { HostLimitOptions } from './host-limits';
import type { ScheduleBounds } from './schedule';

/** Everything configurable about feed polling and politeness. */
export interface FeedSettings {
  fetch: FetchPolicy;
  /** Largest feed or sitemap accepted (decoded bytes). Bounds parse time on the event loop. */
  maxFeedBytes: number;
  maxItemsPerFeed: number;
  maxUrlsPerSitemap: number;
  /** Consecutive failures after which a feed is paused. */
  maxFailures: number;
  bounds: ScheduleBounds;
  hostLimits: HostLimitOptions;
  /** Items that carry full content are indexed from it instead of fetching the page. */
  useFullContent: boolean;
  userAgent: string;
  contactUrl: string | undefined;
  /** OPML file whose feeds are subscribed at start. */
  opmlFile: string | undefined;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

const number = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : fallback;
};

/**
 * Reads feed settings from the environment:
 * FETCH_ALLOW_PRIVATE (hostnames, `.suffix`, IPs, CIDRs), FETCH_ALLOWED_PORTS (besides 80/443),
 * FETCH_TIMEOUT_MS, FETCH_MAX_BYTES (as the fetcher reads them), SLUICE_USER_AGENT, SLUICE_CONTACT_URL,
 * SLUICE_FEED_MAX_BYTES, SLUICE_FEED_MAX_ITEMS, SLUICE_SITEMAP_MAX_URLS, SLUICE_FEED_MAX_FAILURES,
 * SLUICE_FEED_MIN_INTERVAL_S, SLUICE_FEED_MAX_INTERVAL_S, SLUICE_HOST_RATE_PER_S,
 * SLUICE_HOST_BURST, SLUICE_HOST_CONCURRENCY, SLUICE_FEED_FULL_CONTENT (1/0), SLUICE_FEEDS_OPML.
 */
export function feedSettingsFromEnv(env: Record<string, string | undefined> = process.env): FeedSettings {
  return {
    fetch: {
      allowPrivateHosts: list(env.FETCH_ALLOW_PRIVATE),
      allowedPorts: list(env.FETCH_ALLOWED_PORTS).map(Number).filter(Number.isInteger),
      timeoutMs: number(env.FETCH_TIMEOUT_MS, 20_000),
      maxBytes: number(env.FETCH_MAX_BYTES, 5 * 1024 * 1024),
    },
    maxFeedBytes: number(env.SLUICE_FEED_MAX_BYTES, 4 * 1024 * 1024),
    maxItemsPerFeed: number(env.SLUICE_FEED_MAX_ITEMS, 200),
    maxUrlsPerSitemap: number(env.SLUICE_SITEMAP_MAX_URLS, 5000),
    maxFailures: number(env.SLUICE_FEED_MAX_FAILURES, 10),
    bounds: {
      minIntervalMs: number(env.SLUICE_FEED_MIN_INTERVAL_S, 300) * 1000,
      maxIntervalMs: number(env.SLUICE_FEED_MAX_INTERVAL_S, 86_400) * 1000,
    },
    hostLimits: {
      ratePerSecond: number(env.SLUICE_HOST_RATE_PER_S, 1),
      burst: number(env.SLUICE_HOST_BURST, 2),
      maxConcurrent: number(env.SLUICE_HOST_CONCURRENCY, 2),
      slotLeaseMs: number(env.FETCH_TIMEOUT_MS, 20_000) * 2,
    },
    useFullContent: env.SLUICE_FEED_FULL_CONTENT === '1' || env.SLUICE_FEED_FULL_CONTENT === 'true',
    userAgent: env.SLUICE_USER_AGENT || 'Sluice/0.1',
    contactUrl: env.SLUICE_CONTACT_URL || undefined,
    opmlFile: env.SLUICE_FEEDS_OPML || undefined,
  };
}
