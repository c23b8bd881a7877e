import { REDIS_PREFIX } from '@sluice/contracts';
import { FetchError, type FetchPolicy, fetchPage } from '@sluice/http';
import type { Redis } from 'ioredis';
import robotsParser from 'robots-parser';
import type { FeedSettings } from './settings';

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our agent, milliseconds, or 0. */
  crawlDelayMs: number;
}

export interface RobotsCacheOptions {
  /** The product token matched against robots.txt groups (`Sluice`). */
  agent: string;
  ttlMs: number;
  /** Shorter TTL after an error, so a flaky robots.txt is asked again soon. */
  errorTtlMs: number;
  policy: FetchPolicy;
}

const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * robots.txt per origin, cached in Redis (shared by every copy) with a TTL and parsed once per
 * process. A missing robots.txt (4xx) allows everything; an unreachable one (5xx, network) also
 * allows, but is cached briefly so it is retried soon.
 */
export class RobotsCache {
  private readonly parsed = new Map<string, { rules: RobotsRules; expires: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly options: RobotsCacheOptions,
  ) {}

  async rulesFor(pageUrl: string): Promise<RobotsRules> {
    const origin = new URL(pageUrl).origin;
    const local = this.parsed.get(origin);
    if (local && local.expires > Date.now()) return local.rules;
    const key = `${REDIS_PREFIX}:robots:${origin}`;
    let text = await this.redis.get(key);
    let ttl = this.options.ttlMs;
    if (text === null) {
      const fetched = await this.download(origin);
      text = fetched.text;
      ttl = fetched.ttlMs;
      await this.redis.set(key, text, 'PX', ttl);
    } else {
      ttl = Math.max(1000, await this.redis.pttl(key));
    }
    const robots = robotsParser(`${origin}/robots.txt`, text);
    const delay = robots.getCrawlDelay(this.options.agent);
    const rules: RobotsRules = {
      isAllowed: (url) => robots.isAllowed(url, this.options.agent) !== false,
      crawlDelayMs: delay ? Math.min(delay, 60) * 1000 : 0,
    };
    if (this.parsed.size > 10_000) this.parsed.clear();
    this.parsed.set(origin, { rules, expires: Date.now() + Math.min(ttl, 60_000) });
    return rules;
  }

  private async download(origin: string): Promise<{ text: string; ttlMs: number }> {
    try {
      const page = await fetchPage(`${origin}/robots.txt`, {
        ...this.options.policy,
        maxBytes: ROBOTS_MAX_BYTES,
        headers: { ...this.options.policy.headers, accept: 'text/plain' },
      });
      return { text: Buffer.from(page.body).toString('utf8'), ttlMs: this.options.ttlMs };
    } catch (error) {
      if (error instanceof FetchError && error.status && error.status >= 400 && error.status < 500) {
        return { text: '', ttlMs: this.options.ttlMs };
      }
      // Refused addresses are refused again at page fetch; treat the rest as temporarily absent.
      return { text: '', ttlMs: this.options.errorTtlMs };
    }
  }
}

/** The robots.txt cache feed and sitemap polls use: our agent, an hour's TTL, the feed fetch policy. */
export function pollRobotsCache(redis: Redis, settings: FeedSettings, ttlMs = 3600_000): RobotsCache {
  const userAgent = settings.contactUrl
    ? `${settings.userAgent} (+${settings.contactUrl})`
    : settings.userAgent;
  return new RobotsCache(redis, {
    agent: 'Sluice',
    ttlMs,
    errorTtlMs: 5 * 60_000,
    policy: { ...settings.fetch, userAgent },
  });
}
