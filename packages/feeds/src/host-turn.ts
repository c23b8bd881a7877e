import type { HostLimits } from './host-limits';
import { spreadDelay } from './host-limits';

/**
 * A request may go now (pass `sent` as the fetch's `onRequestSent`, call `release` when its
 * response is read), or come back after `delayMs`.
 */
export type HostTurn =
  | { release: () => Promise<void>; sent: (sentAt: number) => void; delayMs?: undefined }
  | { release?: undefined; delayMs: number; reason: 'host-busy' | 'rate-limit' | 'host-paused' };

/** A host already at its concurrency cap: come back in a second or two. */
export const busyDelay = () => 1000 + Math.floor(Math.random() * 1000);

/**
 * One request's turn at a host: a concurrency slot, then a token from the host's one bucket
 * (which also holds the host back while it is paused). Every request kind goes through here,
 * so feeds, sitemaps, robots.txt and pages share the same budget across all fetcher copies.
 */
export async function takeHostTurn(limits: HostLimits, host: string, crawlDelayMs = 0): Promise<HostTurn> {
  const release = await limits.acquire(host);
  if (!release) return { delayMs: busyDelay(), reason: 'host-busy' };
  let taken: { waitMs: number; paused: boolean };
  try {
    taken = await limits.tryTake(host, crawlDelayMs, true);
  } catch (error) {
    await release();
    throw error;
  }
  if (taken.waitMs > 0) {
    await release();
    return { delayMs: spreadDelay(taken.waitMs), reason: taken.paused ? 'host-paused' : 'rate-limit' };
  }
  const onSent = lateness(limits, host, Date.now());
  let left = false;
  return {
    sent: (sentAt) => {
      left = true;
      onSent(sentAt);
    },
    release: async () => {
      if (!left) await limits.notSent(host).catch(() => {});
      await release();
    },
  };
}

/** Below this a request is on time: the few milliseconds any request takes to leave. */
const ON_TIME_MS = 5;

/**
 * Tells the host's bucket the request left: charges the time between the token and departure
 * (beyond the few ms any request takes) and lets the next request under a Crawl-delay go.
 */
export function lateness(limits: HostLimits, host: string, grantedAt: number) {
  return (sentAt: number) => {
    const lateMs = sentAt - grantedAt;
    limits.sent(host, lateMs > ON_TIME_MS ? lateMs : 0).catch(() => {});
  };
}

/**
 * Waits in place for a turn (robots.txt, which every other request to the host waits on), up to
 * `timeoutMs`; null when none came in time.
 */
export async function waitForHostTurn(
  limits: HostLimits,
  host: string,
  timeoutMs: number,
): Promise<Extract<HostTurn, { release: unknown }> | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const turn = await takeHostTurn(limits, host);
    if (turn.release) return turn;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise((resolve) => setTimeout(resolve, Math.min(turn.delayMs, left)));
  }
}
