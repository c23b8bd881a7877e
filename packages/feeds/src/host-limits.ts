import { REDIS_PREFIX } from '@sluice/contracts';
import type { Cluster, Redis } from 'ioredis';

/**
 * Token bucket per host, in Redis so every fetcher copy draws from the same bucket. Runs as one
 * script (atomic) on Redis's own clock, so copies with skewed clocks agree. Returns 0 when a
 * token was taken, else the milliseconds until one will be available (nothing is taken then).
 */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return -paused end
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local crawlDelay = math.max(tonumber(ARGV[3]), tonumber(redis.call('GET', KEYS[3]) or '0'))
if crawlDelay > 0 then
  rate = math.min(rate, 1 / crawlDelay)
  burst = 1
end
-- Exclusive grants: one request at a time between grant and departure (normally a few ms), so
-- the budget counts from when a request really left, however long a busy copy took to send it.
local exclusive = ARGV[5] == '1'
if exclusive and redis.call('EXISTS', KEYS[4]) == 1 then return 20 end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  if exclusive then redis.call('SET', KEYS[4], now, 'PX', tonumber(ARGV[4])) end
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return wait
`;

/**
 * An overloaded host (429/503): the pause is the longer of Retry-After and a back-off that
 * doubles with each overload in a row (the first refusal with a Retry-After is taken at its
 * word), and only ever extends a pause already running.
 */
const PAUSE_HOST = `
local count = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
local backoff = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (count - 1))
-- A first refusal that says how long to wait is taken at its word.
if count == 1 and tonumber(ARGV[1]) > 0 then backoff = 0 end
local pause = math.max(tonumber(ARGV[1]), backoff)
if redis.call('PTTL', KEYS[1]) < pause then redis.call('SET', KEYS[1], count, 'PX', pause) end
redis.call('SET', KEYS[3], '1', 'PX', tonumber(ARGV[4]))
return {redis.call('PTTL', KEYS[1]), count}
`;

/**
 * A request granted its token left `ARGV[3]` ms late (a busy event loop held it back): the
 * bucket is charged for the delay, so the next request keeps its distance from when this one
 * really went out.
 */
const CHARGE_LATE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local crawlDelay = tonumber(redis.call('GET', KEYS[2]) or '0')
if crawlDelay > 0 then
  rate = math.min(rate, 1 / crawlDelay)
  burst = 1
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
-- Late by the time since the exclusive grant, on Redis's clock (the report of departure only
-- arrives after it: this errs on the polite side), else as the caller measured it.
local granted = tonumber(redis.call('GET', KEYS[3]) or '')
local late = granted and math.max(0, now - granted) or tonumber(ARGV[3])
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate) - late * rate
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('DEL', KEYS[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return 1
`;

/** Counting semaphore with expiring leases (a crashed copy's lease frees itself). */
const ACQUIRE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
-- A host coming back from a pause is probed with one request at a time until one succeeds.
local limit = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then limit = 1 end
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`;

export interface HostLimitOptions {
  /** Sustained requests per second per host. */
  ratePerSecond: number;
  /** Requests allowed back to back before the rate applies. */
  burst: number;
  /** Requests in flight per host across all copies. */
  maxConcurrent: number;
  /** Lease length for a concurrency slot; must exceed the longest fetch. */
  slotLeaseMs: number;
  /** First host-wide pause after a 429/503 without (or with a shorter) Retry-After; doubles per overload in a row. */
  overloadBackoffMs: number;
  /** Longest host-wide pause the back-off grows to. */
  maxPauseMs: number;
}

export const DEFAULT_HOST_LIMITS: HostLimitOptions = {
  ratePerSecond: 1,
  burst: 2,
  maxConcurrent: 2,
  slotLeaseMs: 60_000,
  overloadBackoffMs: 5_000,
  maxPauseMs: 15 * 60_000,
};

/** Margin added to a robots Crawl-delay: the token is taken a moment before the request leaves. */
const CRAWL_DELAY_MARGIN_MS = 100;

type ScriptRedis = (Redis | Cluster) & {
  sluiceTakeToken(
    key: string,
    pauseKey: string,
    delayKey: string,
    sendingKey: string,
    rate: number,
    burst: number,
    crawlDelayMs: number,
    sendingTtlMs: number,
    exclusive: '0' | '1',
  ): Promise<number>;
  sluiceChargeLate(
    key: string,
    delayKey: string,
    sendingKey: string,
    rate: number,
    burst: number,
    lateMs: number,
  ): Promise<number>;
  sluicePauseHost(
    pauseKey: string,
    countKey: string,
    probeKey: string,
    retryAfterMs: number,
    backoffMs: number,
    maxMs: number,
    countTtlMs: number,
  ): Promise<[number, number]>;
  sluiceAcquireSlot(
    key: string,
    probeKey: string,
    limit: number,
    leaseMs: number,
    token: string,
  ): Promise<number>;
};

export class HostLimits {
  private readonly redis: ScriptRedis;
  readonly options: HostLimitOptions;

  constructor(redis: Redis | Cluster, options: Partial<HostLimitOptions> = {}) {
    this.options = { ...DEFAULT_HOST_LIMITS, ...options };
    if (!('sluiceTakeToken' in redis)) {
      redis.defineCommand('sluiceTakeToken', { numberOfKeys: 4, lua: TAKE_TOKEN });
      redis.defineCommand('sluicePauseHost', { numberOfKeys: 3, lua: PAUSE_HOST });
      redis.defineCommand('sluiceChargeLate', { numberOfKeys: 3, lua: CHARGE_LATE });
      redis.defineCommand('sluiceAcquireSlot', { numberOfKeys: 2, lua: ACQUIRE_SLOT });
    }
    this.redis = redis as ScriptRedis;
  }

  /**
   * Takes one request's token for the host: every kind of request (feed, sitemap, robots.txt,
   * page) draws from this one bucket. While the host is paused (Retry-After, overload back-off)
   * nothing is taken and the rest of the pause is returned. The robots Crawl-delay recorded for
   * the host (`setCrawlDelay`), or `minIntervalMs` if longer, lowers its rate to one request per
   * delay with no burst. Returns 0, or how long to wait before asking again.
   */
  async take(host: string, minIntervalMs = 0): Promise<number> {
    return (await this.tryTake(host, minIntervalMs)).waitMs;
  }

  /**
   * `take`, saying whether the wait is the host's pause (429/503) rather than its rate. An
   * `exclusive` grant holds the next one back until `sent` or `notSent` says it left (or not).
   */
  async tryTake(
    host: string,
    minIntervalMs = 0,
    exclusive = false,
  ): Promise<{ waitMs: number; paused: boolean }> {
    const name = host.toLowerCase();
    const crawlDelayMs = minIntervalMs > 0 ? minIntervalMs + CRAWL_DELAY_MARGIN_MS : 0;
    const result = Number(
      await this.redis.sluiceTakeToken(
        `${REDIS_PREFIX}:host-rate:${name}`,
        pauseKey(name),
        `${REDIS_PREFIX}:host-crawl-delay:${name}`,
        sendingKey(name),
        this.options.ratePerSecond,
        this.options.burst,
        crawlDelayMs,
        SENDING_TTL_MS,
        exclusive ? '1' : '0',
      ),
    );
    return { waitMs: Math.abs(result), paused: result < 0 };
  }

  /**
   * The request granted a token left, `lateMs` after the grant: the delay is charged to the
   * host's bucket, and under a Crawl-delay the next request may now be granted.
   */
  async sent(host: string, lateMs: number): Promise<void> {
    const name = host.toLowerCase();
    await this.redis.sluiceChargeLate(
      `${REDIS_PREFIX}:host-rate:${name}`,
      `${REDIS_PREFIX}:host-crawl-delay:${name}`,
      sendingKey(name),
      this.options.ratePerSecond,
      this.options.burst,
      Math.max(0, Math.round(lateMs)),
    );
  }

  /** A granted request that never left (refused before sending): the next may go. */
  async notSent(host: string): Promise<void> {
    await this.redis.del(sendingKey(host.toLowerCase()));
  }

  /**
   * Records the host's robots.txt Crawl-delay for every copy and request kind, for `ttlMs`. The
   * robots.txt request itself was the host's latest, so the bucket is left empty: the next
   * request waits a full delay after it.
   */
  async setCrawlDelay(host: string, crawlDelayMs: number, ttlMs: number): Promise<void> {
    const name = host.toLowerCase();
    const key = `${REDIS_PREFIX}:host-crawl-delay:${name}`;
    if (crawlDelayMs <= 0) {
      await this.redis.del(key);
      return;
    }
    await this.redis.eval(
      `local t = redis.call('TIME')
       local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
       redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
       redis.call('HSET', KEYS[2], 'tokens', '0', 'ts', now)
       redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[1]) + 60000)
       return 1`,
      2,
      key,
      `${REDIS_PREFIX}:host-rate:${name}`,
      crawlDelayMs + CRAWL_DELAY_MARGIN_MS,
      ttlMs,
    );
  }

  /**
   * The host answered 429 or 503: pause it for every copy. Returns the pause now in force (the
   * longer of Retry-After and a back-off doubling per overload in a row) and the overload count.
   * After the pause the host is probed with one request at a time until one succeeds.
   */
  async pauseHost(host: string, retryAfterMs?: number): Promise<{ pauseMs: number; overloads: number }> {
    const name = host.toLowerCase();
    const { overloadBackoffMs, maxPauseMs } = this.options;
    const [pauseMs, overloads] = await this.redis.sluicePauseHost(
      pauseKey(name),
      overloadKey(name),
      probeKey(name),
      Math.min(retryAfterMs ?? 0, maxPauseMs),
      overloadBackoffMs,
      maxPauseMs,
      maxPauseMs * 4,
    );
    return { pauseMs: Math.max(0, Number(pauseMs)), overloads: Number(overloads) };
  }

  /** The host answered normally: its overload back-off starts again from the first step. */
  async hostRecovered(host: string): Promise<void> {
    const name = host.toLowerCase();
    await this.redis.del(overloadKey(name), probeKey(name));
  }

  /** Milliseconds left in the host's pause, or 0. */
  async pausedFor(host: string): Promise<number> {
    return Math.max(0, Number(await this.redis.pttl(pauseKey(host.toLowerCase()))));
  }

  /** A concurrency slot for the host, or null when it already has `maxConcurrent` requests out. */
  async acquire(host: string): Promise<(() => Promise<void>) | null> {
    const key = `${REDIS_PREFIX}:host-slots:${host.toLowerCase()}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const ok = await this.redis.sluiceAcquireSlot(
      key,
      probeKey(host.toLowerCase()),
      this.options.maxConcurrent,
      this.options.slotLeaseMs,
      token,
    );
    if (!Number(ok)) return null;
    return async () => {
      await this.redis.zrem(key, token);
    };
  }
}

const sendingKey = (host: string) => `${REDIS_PREFIX}:host-sending:${host}`;
/** A granted request that has not left after this long is taken as lost (a crashed copy). */
const SENDING_TTL_MS = 10_000;
const probeKey = (host: string) => `${REDIS_PREFIX}:host-probe:${host}`;
const pauseKey = (host: string) => `${REDIS_PREFIX}:host-pause:${host}`;
const overloadKey = (host: string) => `${REDIS_PREFIX}:host-overloads:${host}`;

/**
 * How long to delay a job the bucket turned away: the wait plus random spread, so jobs turned
 * away together do not all come back at the same instant and collide again.
 */
export function spreadDelay(waitMs: number): number {
  return Math.ceil(waitMs + Math.random() * Math.min(5_000, Math.max(250, waitMs)));
}
