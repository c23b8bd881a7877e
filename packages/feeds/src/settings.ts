import { loadConfig, z } from '@sluice/config';
import type { FetchPolicy } from '@sluice/http';
import { DEFAULT_HOST_LIMITS, type HostLimitOptions } from './host-limits';
import type { ScheduleBounds } from './schedule';

/** Everything configurable about feed polling and politeness. */
export interface FeedSettings {
  fetch: FetchPolicy;
  /** Largest feed or sitemap accepted (decoded bytes). Bounds parse time on the event loop. */
  maxFeedBytes: number;
  maxItemsPerFeed: number;
  maxUrlsPerSitemap: number;
  /** Sitemap indexes followed this many levels down (1: an index's sitemaps, not nested indexes). */
  sitemapMaxDepth: number;
  /** Child sitemaps read per poll, over all levels. */
  sitemapMaxChildren: number;
  /**
   * Feed polls honour robots.txt Disallow too (sitemaps always do). Off by default: a feed is
   * published to be polled and the operator subscribed to it by name, as feed readers do.
   */
  feedsObeyRobots: boolean;
  /** Feeds at least this large (characters) are parsed in a thread, off the event loop. */
  parseOffloadChars: number;
  /** Threads parsing large feeds, at most. */
  parseThreads: number;
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

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = z
  .enum(['1', '0', 'true', 'false'])
  .default('0')
  .transform((value) => value === '1' || value === 'true');

/**
 * The environment variables of feed polling and polite fetching, validated like every other
 * setting (a bad value stops the service at start, named). The fetcher's and the API's schemas
 * extend this one.
 */
export const feedEnvSchema = z.object({
  /** Hostnames, `.suffix`, IPs or CIDRs the fetcher may reach although private (intranets, demo feed). */
  FETCH_ALLOW_PRIVATE: list,
  /** Ports allowed besides 80 and 443. */
  FETCH_ALLOWED_PORTS: list.pipe(z.array(z.string().regex(/^\d+$/, 'ports are numbers').transform(Number))),
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(20_000),
  FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(5 * 1024 * 1024),
  SLUICE_USER_AGENT: z.string().min(1).default('Sluice/0.1'),
  SLUICE_CONTACT_URL: z.string().url().optional(),
  SLUICE_FEED_MAX_BYTES: count(4 * 1024 * 1024),
  SLUICE_FEED_MAX_ITEMS: count(200),
  SLUICE_SITEMAP_MAX_URLS: count(5000),
  SLUICE_SITEMAP_MAX_DEPTH: z.coerce.number().int().min(0).max(5).default(1),
  SLUICE_SITEMAP_MAX_CHILDREN: z.coerce.number().int().min(0).max(1000).default(20),
  SLUICE_FEED_ROBOTS: flag,
  SLUICE_FEED_PARSE_OFFLOAD_BYTES: count(256 * 1024),
  SLUICE_FEED_PARSE_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  SLUICE_FEED_MAX_FAILURES: count(10),
  SLUICE_FEED_MIN_INTERVAL_S: count(300),
  SLUICE_FEED_MAX_INTERVAL_S: count(86_400),
  SLUICE_HOST_RATE_PER_S: z.coerce.number().positive().default(1),
  SLUICE_HOST_BURST: z.coerce.number().int().min(1).default(2),
  SLUICE_HOST_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  SLUICE_FEED_FULL_CONTENT: flag,
  /** OPML file whose feeds are subscribed at start. */
  SLUICE_FEEDS_OPML: z.string().min(1).optional(),
});

export type FeedEnv = z.infer<typeof feedEnvSchema>;

/** Feed settings from validated configuration (the service's config, or any env-like object). */
export function feedSettingsFromConfig(config: FeedEnv): FeedSettings {
  return {
    fetch: {
      allowPrivateHosts: config.FETCH_ALLOW_PRIVATE,
      allowedPorts: config.FETCH_ALLOWED_PORTS,
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.FETCH_MAX_BYTES,
    },
    maxFeedBytes: config.SLUICE_FEED_MAX_BYTES,
    maxItemsPerFeed: config.SLUICE_FEED_MAX_ITEMS,
    maxUrlsPerSitemap: config.SLUICE_SITEMAP_MAX_URLS,
    sitemapMaxDepth: config.SLUICE_SITEMAP_MAX_DEPTH,
    sitemapMaxChildren: config.SLUICE_SITEMAP_MAX_CHILDREN,
    feedsObeyRobots: config.SLUICE_FEED_ROBOTS,
    parseOffloadChars: config.SLUICE_FEED_PARSE_OFFLOAD_BYTES,
    parseThreads: config.SLUICE_FEED_PARSE_THREADS,
    maxFailures: config.SLUICE_FEED_MAX_FAILURES,
    bounds: {
      minIntervalMs: config.SLUICE_FEED_MIN_INTERVAL_S * 1000,
      maxIntervalMs: config.SLUICE_FEED_MAX_INTERVAL_S * 1000,
    },
    hostLimits: {
      ratePerSecond: config.SLUICE_HOST_RATE_PER_S,
      burst: config.SLUICE_HOST_BURST,
      maxConcurrent: config.SLUICE_HOST_CONCURRENCY,
      slotLeaseMs: config.FETCH_TIMEOUT_MS * 2,
      overloadBackoffMs: DEFAULT_HOST_LIMITS.overloadBackoffMs,
      maxPauseMs: DEFAULT_HOST_LIMITS.maxPauseMs,
    },
    useFullContent: config.SLUICE_FEED_FULL_CONTENT,
    userAgent: config.SLUICE_USER_AGENT,
    contactUrl: config.SLUICE_CONTACT_URL,
    opmlFile: config.SLUICE_FEEDS_OPML,
  };
}

/** Feed settings straight from environment variables (tests, benchmarks); throws ConfigError on bad values. */
export function feedSettingsFromEnv(env: Record<string, string | undefined> = process.env): FeedSettings {
  return feedSettingsFromConfig(loadConfig(feedEnvSchema, env));
}
