import { REDIS_PREFIX } from '@sluice/contracts';
import { FetchError, type FetchPolicy, fetchPage } from '@sluice/http';
import type { Cluster, Redis } from 'ioredis';
import robotsParser from 'robots-parser';
import { HostLimits } from './host-limits';
import { busyDelay, waitForHostTurn } from './host-turn';
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
  /** The per-host budget robots.txt requests draw from; a default HostLimits when not given. */
  limits?: HostLimits;
  /** How long one copy may hold the download lock for an origin; the others wait that long at most. */
  lockMs?: number;
}

/**
 * robots.txt could not be read yet (the host is paused or busy): requests to the host wait
 * `delayMs` and ask again; nothing is fetched without its rules.
 */
export class RobotsPendingError extends Error {
  constructor(
    readonly origin: string,
    why: string,
    readonly delayMs: number,
  ) {
    super(`robots.txt of ${origin} not read yet: ${why}`);
    this.name = 'RobotsPendingError';
  }
}

const ROBOTS_MAX_BYTES = 512 * 1024;
const WAIT_STEP_MS = 100;

/**
 * robots.txt per origin, cached in Redis (shared by every copy) with a TTL and parsed once per
 * process. A missing robots.txt (4xx) allows everything; an unreachable one (5xx, network) also
 * allows, but is cached briefly so it is retried soon.
 *
 * On first contact it is downloaded once: concurrent callers in a process share one download,
 * and across copies a short Redis lock lets one copy download while the others wait for the
 * cached text. The download takes its turn in the host's budget like any other request, and
 * the Crawl-delay found is recorded for the host so every request kind keeps it.
 */
export class RobotsCache {
  private readonly parsed = new Map<string, { rules: RobotsRules; expires: number }>();
  private readonly inFlight = new Map<string, Promise<RobotsRules>>();
  private readonly limits: HostLimits;
  private readonly lockMs: number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: RobotsCacheOptions,
  ) {
    this.limits = options.limits ?? new HostLimits(redis);
    this.lockMs = options.lockMs ?? 30_000;
  }

  async rulesFor(pageUrl: string): Promise<RobotsRules> {
    const origin = new URL(pageUrl).origin;
    const local = this.parsed.get(origin);
    if (local && local.expires > Date.now()) return local.rules;
    let pending = this.inFlight.get(origin);
    if (!pending) {
      pending = this.load(origin).finally(() => this.inFlight.delete(origin));
      this.inFlight.set(origin, pending);
    }
    return pending;
  }

  private async load(origin: string): Promise<RobotsRules> {
    const key = `${REDIS_PREFIX}:robots:${origin}`;
    const cached = await this.cachedText(key);
    const { text, ttlMs } = cached ?? (await this.downloadOnce(origin, key));
    const robots = robotsParser(`${origin}/robots.txt`, text);
    const delay = robots.getCrawlDelay(this.options.agent);
    const rules: RobotsRules = {
      isAllowed: (url) => robots.isAllowed(url, this.options.agent) !== false,
      crawlDelayMs: delay ? Math.min(delay, 60) * 1000 : 0,
    };
    if (!cached) await this.limits.setCrawlDelay(new URL(origin).host, rules.crawlDelayMs, ttlMs);
    if (this.parsed.size > 10_000) this.parsed.clear();
    this.parsed.set(origin, { rules, expires: Date.now() + Math.min(ttlMs, 60_000) });
    return rules;
  }

  private async cachedText(key: string): Promise<{ text: string; ttlMs: number } | null> {
    const text = await this.redis.get(key);
    if (text === null) return null;
    return { text, ttlMs: Math.max(1000, await this.redis.pttl(key)) };
  }

  /** One copy downloads (the lock holder); the others wait for its result in Redis. */
  private async downloadOnce(origin: string, key: string): Promise<{ text: string; ttlMs: number }> {
    const lockKey = `${key}:lock`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + this.lockMs;
    for (;;) {
      if ((await this.redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) === 'OK') break;
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      const cached = await this.cachedText(key);
      if (cached) return cached;
      // The holder died without a result: its lock expires and the next caller takes over.
      if (Date.now() > deadline + this.lockMs) break;
    }
    try {
      const fetched = await this.download(origin);
      await this.redis.set(key, fetched.text, 'PX', fetched.ttlMs);
      return fetched;
    } finally {
      await this.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        1,
        lockKey,
        token,
      );
    }
  }

  private async download(origin: string): Promise<{ text: string; ttlMs: number }> {
    const host = new URL(origin).host;
    // Inside the lock's lifetime, leaving time for the request itself.
    const turn = await waitForHostTurn(this.limits, host, Math.max(1000, this.lockMs / 2));
    if (!turn) throw new RobotsPendingError(origin, 'the host has no turn free', busyDelay());
    try {
      const page = await fetchPage(`${origin}/robots.txt`, {
        ...this.options.policy,
        maxBytes: ROBOTS_MAX_BYTES,
        headers: { ...this.options.policy.headers, accept: 'text/plain' },
        onRequestSent: turn.sent,
      });
      await this.limits.hostRecovered(host);
      return { text: Buffer.from(page.body).toString('utf8'), ttlMs: this.options.ttlMs };
    } catch (error) {
      if (error instanceof FetchError && (error.status === 429 || error.status === 503)) {
        // Not knowing the rules is no licence: everything waits for the host, robots.txt included.
        const { pauseMs } = await this.limits.pauseHost(host, error.retryAfterMs);
        throw new RobotsPendingError(origin, `robots.txt answered ${error.status}`, pauseMs);
      }
      if (error instanceof FetchError && error.status && error.status >= 400 && error.status < 500) {
        return { text: '', ttlMs: this.options.ttlMs };
      }
      // Refused addresses are refused again at page fetch; treat the rest as temporarily absent.
      return { text: '', ttlMs: this.options.errorTtlMs };
    } finally {
      await turn.release();
    }
  }
}

/** The robots.txt cache feed and sitemap polls use: our agent, an hour's TTL, the feed fetch policy. */
export function pollRobotsCache(
  redis: Redis | Cluster,
  settings: FeedSettings,
  ttlMs = 3600_000,
  limits?: HostLimits,
): RobotsCache {
  const userAgent = settings.contactUrl
    ? `${settings.userAgent} (+${settings.contactUrl})`
    : settings.userAgent;
  return new RobotsCache(redis, {
    agent: 'Sluice',
    ttlMs,
    errorTtlMs: 5 * 60_000,
    policy: { ...settings.fetch, userAgent },
    limits: limits ?? new HostLimits(redis, settings.hostLimits),
  });
}
