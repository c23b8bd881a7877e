/** Bounds for a feed's polling interval. */
export interface ScheduleBounds {
  minIntervalMs: number;
  maxIntervalMs: number;
}

export const DEFAULT_SCHEDULE_BOUNDS: ScheduleBounds = {
  minIntervalMs: 5 * 60_000,
  maxIntervalMs: 24 * 3600_000,
};

export interface ScheduleSignals {
  /** Publication times of the items in the latest fetch (ISO strings; nulls ignored). */
  itemDates: (string | null)[];
  /** RSS `<ttl>`, minutes. */
  ttlMinutes?: number | null;
  /** Cache-Control and Expires response headers. */
  cacheControl?: string | null;
  expires?: string | null;
  retryAfterMs?: number | null;
  now?: number;
}

/**
 * The next polling interval from how often the feed publishes: half the median gap between
 * its recent items (so a new item waits on average a quarter of a gap), clamped to the bounds.
 * The server's own hints (`<ttl>`, max-age, Expires, Retry-After) can only lengthen it:
 * polling earlier than the server asks is impolite and would only bring back a cached copy.
 */
export function nextPollInterval(
  signals: ScheduleSignals,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
): number {
  const now = signals.now ?? Date.now();
  let interval = publishingInterval(signals.itemDates, now) ?? bounds.maxIntervalMs / 4;
  const hints = [
    signals.ttlMinutes ? signals.ttlMinutes * 60_000 : 0,
    maxAgeMs(signals.cacheControl),
    expiresInMs(signals.expires, now),
    signals.retryAfterMs ?? 0,
  ];
  interval = Math.max(interval, ...hints);
  return clamp(Math.round(interval), bounds.minIntervalMs, bounds.maxIntervalMs);
}

function publishingInterval(itemDates: (string | null)[], now: number): number | null {
  const times = itemDates
    .map((date) => (date ? Date.parse(date) : Number.NaN))
    .filter((time) => Number.isFinite(time) && time <= now + 3600_000)
    .sort((a, b) => b - a)
    .slice(0, 20);
  if (times.length < 2) return null;
  const gaps: number[] = [];
  for (let index = 1; index < times.length; index++) gaps.push(times[index - 1]! - times[index]!);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  // A feed silent for longer than its usual gap is slowing down: use the silence instead.
  const silence = now - times[0]!;
  return Math.max(median, silence / 2) / 2;
}

function maxAgeMs(cacheControl: string | null | undefined): number {
  const match = /(?:^|,)\s*(?:s-)?max-age\s*=\s*"?(\d+)/i.exec(cacheControl ?? '');
  return match ? Number(match[1]) * 1000 : 0;
}

function expiresInMs(expires: string | null | undefined, now: number): number {
  const time = expires ? Date.parse(expires) : Number.NaN;
  return Number.isFinite(time) ? Math.max(0, time - now) : 0;
}

/** Exponential back-off after consecutive failures: min interval doubled per failure, capped. */
export function backoffInterval(
  consecutiveFailures: number,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
  retryAfterMs?: number | null,
): number {
  const exponential = bounds.minIntervalMs * 2 ** Math.max(0, consecutiveFailures - 1);
  return clamp(Math.max(exponential, retryAfterMs ?? 0), bounds.minIntervalMs, bounds.maxIntervalMs);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
