import { REDIS_PREFIX } from '@sluice/contracts';
import type { Redis } from 'ioredis';

/**
 * Token bucket per host, in Redis so every fetcher copy draws from the same bucket. Runs as one
 * script (atomic) on Redis's own clock, so copies with skewed clocks agree. Returns 0 when a
 * token was taken, else the milliseconds until one will be available (nothing is taken then).
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return wait
`;

/** Counting semaphore with expiring leases (a crashed copy's lease frees itself). */
const ACQUIRE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
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
}

export const DEFAULT_HOST_LIMITS: HostLimitOptions = {
  ratePerSecond: 1,
  burst: 2,
  maxConcurrent: 2,
  slotLeaseMs: 60_000,
};

type ScriptRedis = Redis & {
  sluiceTakeToken(key: string, rate: number, burst: number): Promise<number>;
  sluiceAcquireSlot(key: string, limit: number, leaseMs: number, token: string): Promise<number>;
};

export class HostLimits {
  private readonly redis: ScriptRedis;
  readonly options: HostLimitOptions;

  constructor(redis: Redis, options: Partial<HostLimitOptions> = {}) {
    this.options = { ...DEFAULT_HOST_LIMITS, ...options };
    if (!('sluiceTakeToken' in redis)) {
      redis.defineCommand('sluiceTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
      redis.defineCommand('sluiceAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT });
    }
    this.redis = redis as ScriptRedis;
  }

  /**
   * Takes one request's token for the host. `minIntervalMs` (a robots Crawl-delay) lowers the
   * rate for that host. Returns 0, or how long to wait before asking again.
   */
  async take(host: string, minIntervalMs = 0): Promise<number> {
    const rate =
      minIntervalMs > 0
        ? Math.min(this.options.ratePerSecond, 1000 / minIntervalMs)
        : this.options.ratePerSecond;
    const burst = minIntervalMs > 0 ? 1 : this.options.burst;
    return Number(
      await this.redis.sluiceTakeToken(`${REDIS_PREFIX}:host-rate:${host.toLowerCase()}`, rate, burst),
    );
  }

  /** A concurrency slot for the host, or null when it already has `maxConcurrent` requests out. */
  async acquire(host: string): Promise<(() => Promise<void>) | null> {
    const key = `${REDIS_PREFIX}:host-slots:${host.toLowerCase()}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const ok = await this.redis.sluiceAcquireSlot(
      key,
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

/**
 * How long to delay a job the bucket turned away: the wait plus random spread, so jobs turned
 * away together do not all come back at the same instant and collide again.
 */
export function spreadDelay(waitMs: number): number {
  return Math.ceil(waitMs + Math.random() * Math.max(250, waitMs));
}
