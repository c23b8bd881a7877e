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

/** The next poll's interval and, for an operator, why it is that long. */
export interface PollPlan {
  intervalMs: number;
  /** What set the interval: `cadence learnt …`, `ttl …`, `Retry-After …`, `back-off …`. */
  reason: string;
  /** The cadence learnt from the items' publication times, when there were enough dated items. */
  cadenceMs: number | null;
}

/** How much longer each unchanged (304) poll waits than the one before. */
export const NOT_MODIFIED_GROWTH = 1.25;
/** An unchanged feed backs off to at most this multiple of its learnt cadence. */
export const NOT_MODIFIED_MAX_FACTOR = 4;

/**
 * The next polling interval from how often the feed publishes: half the median gap between
 * its recent items (so a new item waits on average a quarter of a gap), clamped to the bounds.
 * The server's own hints (`<ttl>`, max-age, Expires, Retry-After) can only lengthen it:
 * polling earlier than the server asks is impolite and would only bring back a cached copy.
 */
export function planNextPoll(
  signals: ScheduleSignals,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
): PollPlan {
  const now = signals.now ?? Date.now();
  const cadence = publishingInterval(signals.itemDates, now);
  const base =
    cadence === null
      ? { ms: bounds.maxIntervalMs / 4, why: 'too few dated items to learn a cadence: default' }
      : { ms: cadence, why: `cadence learnt from item dates: ${formatMs(cadence)}` };
  return withHints(base, signals, now, bounds, cadence === null ? null : Math.round(cadence));
}

/**
 * After a 304: the feed keeps its learnt cadence and backs off gently, each unchanged poll
 * waiting a quarter longer than the last, up to four times the cadence. Hints the server sends
 * with the 304 (max-age, Expires) and the feed's stored `<ttl>` still lengthen it.
 */
export function planAfterNotModified(
  state: { previousIntervalMs: number; cadenceMs: number | null; ttlMs: number | null },
  signals: Omit<ScheduleSignals, 'itemDates' | 'ttlMinutes'>,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
): PollPlan {
  const now = signals.now ?? Date.now();
  const cadence = state.cadenceMs ?? state.previousIntervalMs;
  const ceiling = Math.max(bounds.minIntervalMs, cadence) * NOT_MODIFIED_MAX_FACTOR;
  const grown = Math.min(ceiling, Math.max(cadence, state.previousIntervalMs * NOT_MODIFIED_GROWTH));
  const base = {
    ms: grown,
    why: `not modified: cadence ${formatMs(cadence)} backed off gently to ${formatMs(grown)}`,
  };
  return withHints(
    base,
    { ...signals, itemDates: [], ttlMinutes: state.ttlMs ? state.ttlMs / 60_000 : null },
    now,
    bounds,
    state.cadenceMs,
  );
}

/** The previous API: the interval alone. */
export function nextPollInterval(
  signals: ScheduleSignals,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
): number {
  return planNextPoll(signals, bounds).intervalMs;
}

function withHints(
  base: { ms: number; why: string },
  signals: ScheduleSignals,
  now: number,
  bounds: ScheduleBounds,
  cadenceMs: number | null,
): PollPlan {
  const hints: [number, string][] = [
    [signals.ttlMinutes ? signals.ttlMinutes * 60_000 : 0, "the feed's <ttl>"],
    [maxAgeMs(signals.cacheControl), 'Cache-Control max-age'],
    [expiresInMs(signals.expires, now), 'Expires'],
    [signals.retryAfterMs ?? 0, 'Retry-After'],
  ];
  let { ms, why } = base;
  for (const [hint, name] of hints) {
    if (hint > ms) {
      ms = hint;
      why = `${name} (${formatMs(hint)}) is longer than ${base.why}`;
    }
  }
  const intervalMs = clamp(Math.round(ms), bounds.minIntervalMs, bounds.maxIntervalMs);
  if (intervalMs !== Math.round(ms)) {
    why = `${why}; held to the ${intervalMs === bounds.minIntervalMs ? 'minimum' : 'maximum'} ${formatMs(intervalMs)}`;
  }
  return { intervalMs, reason: why, cadenceMs };
}

/** `90 s`, `12 min`, `3.5 h` */
export function formatMs(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
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
  return planBackoff(consecutiveFailures, bounds, retryAfterMs).intervalMs;
}

/** `backoffInterval` with the reason: Retry-After when the server's wait is the longer. */
export function planBackoff(
  consecutiveFailures: number,
  bounds: ScheduleBounds = DEFAULT_SCHEDULE_BOUNDS,
  retryAfterMs?: number | null,
): PollPlan {
  const exponential = bounds.minIntervalMs * 2 ** Math.max(0, consecutiveFailures - 1);
  const intervalMs = clamp(
    Math.max(exponential, retryAfterMs ?? 0),
    bounds.minIntervalMs,
    bounds.maxIntervalMs,
  );
  const reason =
    retryAfterMs && retryAfterMs >= exponential
      ? `Retry-After: the server asked for ${formatMs(retryAfterMs)}`
      : `back-off after ${consecutiveFailures} failure${consecutiveFailures === 1 ? '' : 's'} in a row: ${formatMs(intervalMs)}`;
  return { intervalMs, reason, cadenceMs: null };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
