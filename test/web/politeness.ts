/**
 * Politeness read from the sites' own request logs: what a site operator would see. Each
 * check returns the violations it found, as readable lines. A site's arrival stamps are late by
 * up to the stall its event loop had at that moment (`stallMs`, measured); a violation counts
 * only when it holds even for the earliest arrival the stall allows.
 */
import type { LoggedRequest } from './sim-web';

export interface PolitenessRules {
  ratePerSecond: number;
  burst: number;
  maxConcurrent: number;
  /** Crawl-delay per host, seconds (0: none). */
  crawlDelayS: Map<string, number>;
}

/**
 * A request already on its way when a 503 was sent, or taken from the bucket a moment before
 * the one it follows, arrives within this much of it: timing noise, not impoliteness.
 */
export const JITTER_MS = 100;

const byHost = (log: LoggedRequest[]) => {
  const hosts = new Map<string, LoggedRequest[]>();
  for (const entry of log) {
    const list = hosts.get(entry.host) ?? [];
    list.push(entry);
    hosts.set(entry.host, list);
  }
  for (const list of hosts.values()) list.sort((a, b) => a.at - b.at);
  return hosts;
};

/** Requests in flight at once per host, counted by arrival and end of response. */
export function concurrencyViolations(log: LoggedRequest[], maxConcurrent: number): string[] {
  const found: string[] = [];
  for (const [host, entries] of byHost(log)) {
    const events = entries.flatMap((entry) => [
      { at: entry.at, delta: 1 },
      { at: entry.end, delta: -1 },
    ]);
    // Ends before starts at the same instant: a connection reused the moment it was free.
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let open = 0;
    let peak = 0;
    for (const event of events) {
      open += event.delta;
      peak = Math.max(peak, open);
    }
    if (peak > maxConcurrent) found.push(`${host}: ${peak} requests at once (cap ${maxConcurrent})`);
  }
  return found;
}

/**
 * Rate and burst per host, every request kind together: no run of requests beyond the token
 * bucket's envelope (burst plus the rate times the run's span). With a Crawl-delay,
 * consecutive requests must be that far apart.
 */
export function rateViolations(log: LoggedRequest[], rules: PolitenessRules): string[] {
  const found: string[] = [];
  for (const [host, entries] of byHost(log)) {
    const delayMs = (rules.crawlDelayS.get(host) ?? 0) * 1000;
    if (delayMs > 0) {
      for (let index = 1; index < entries.length; index++) {
        // The earlier request may have arrived up to its stall earlier than stamped.
        const gap = entries[index]!.at - entries[index - 1]!.at + entries[index - 1]!.stallMs;
        if (gap < delayMs) {
          found.push(
            `${host}: ${entries[index - 1]!.kind} then ${entries[index]!.kind} ${gap} ms apart (Crawl-delay ${delayMs} ms)`,
          );
        }
      }
      continue;
    }
    // Any run of requests i..j may hold at most `burst` plus what the rate earns from the
    // first arrival to the last (the token bucket's envelope). Earlier requests are taken at
    // their earliest possible arrival (stamp less stall), plus JITTER_MS of grace.
    const perMs = rules.ratePerSecond / 1000;
    for (let last = 0; last < entries.length; last++) {
      for (let first = Math.max(0, last - 100); first < last; first++) {
        const span = entries[last]!.at - (entries[first]!.at - entries[first]!.stallMs) + JITTER_MS;
        const allowed = rules.burst + span * perMs;
        const count = last - first + 1;
        if (count > allowed + 1e-9) {
          const earlyMs = Math.round((count - allowed) / perMs);
          found.push(
            `${host}: ${entries[last]!.kind} ${entries[last]!.path}: ${count} requests in ${span} ms, ${earlyMs} ms too early for the rate (${rules.ratePerSecond}/s, burst ${rules.burst})`,
          );
          break;
        }
      }
    }
  }
  return found;
}

/** After a 503 with Retry-After, nothing from us reaches that host until the wait is over. */
export function retryAfterViolations(log: LoggedRequest[]): string[] {
  const found: string[] = [];
  for (const [host, entries] of byHost(log)) {
    for (const refusal of entries.filter((entry) => entry.retryAfterS !== null)) {
      const until = refusal.end + refusal.retryAfterS! * 1000;
      const early = entries.filter(
        (entry) => entry.at - entry.stallMs > refusal.end + JITTER_MS && entry.at < until,
      );
      for (const entry of early) {
        found.push(
          `${host}: ${entry.kind} ${entry.path} ${entry.at - refusal.end} ms after a 503 asking for ${refusal.retryAfterS} s`,
        );
      }
    }
  }
  return found;
}

/** Disallowed pages requested, and robots.txt fetched more than once per host. */
export function robotsViolations(log: LoggedRequest[], disallowed: string[]): string[] {
  const found: string[] = [];
  const forbidden = new Set(disallowed);
  for (const entry of log) {
    if (forbidden.has(`${entry.host}${entry.path}`))
      found.push(`${entry.host}${entry.path}: disallowed, requested`);
  }
  for (const [host, entries] of byHost(log)) {
    const robots = entries.filter((entry) => entry.kind === 'robots' && entry.status !== 503).length;
    if (robots > 1) found.push(`${host}: robots.txt fetched ${robots} times`);
  }
  return found;
}

/** A page answered in full more than once. */
export function refetchViolations(log: LoggedRequest[]): string[] {
  const counts = new Map<string, number>();
  for (const entry of log) {
    if (entry.kind !== 'page' || entry.status !== 200) continue;
    const key = `${entry.host}${entry.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([key, count]) => `${key}: fetched ${count} times`);
}
