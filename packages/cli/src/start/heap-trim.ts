import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How `sluice start` decides to collect its garbage in full. */
export interface CollectionPolicy {
  /** How often the heap is looked at (a cheap read of V8's statistics). */
  checkEveryMs: number;
  /** Collect once the heap has grown this much since the last full collection left it. */
  growthBytes: number;
  /** ...or once this long has passed with any growth at all (a slow trickle still gets trimmed). */
  atLeastEveryMs: number;
  /** V8's own old-generation limit after each of its collections, in percent above what is live (0: V8's default). */
  heapGrowingPercent?: number;
}

export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = {
  checkEveryMs: 1_000,
  growthBytes: 48 * 1024 * 1024,
  atLeastEveryMs: 30_000,
  heapGrowingPercent: 20,
};

export interface CollectionStats {
  collections: number;
  /** Time spent in the forced collections, ms. */
  spentMs: number;
}

/**
 * Keeps the one long-lived process of `sluice start` near its live heap (75–85 MB after a full
 * collection) instead of letting V8 grow the old generation to 1.5–2× that between its own major
 * collections. V8 keeps the old generation's pages once it has grown, so what matters is the
 * peak between collections, and that grows with throughput: a forced collection every 10 s by
 * the clock let node reach 365–431 MB at 15–40 documents a second (bench:memory).
 *
 * Two parts. V8's own limit for its next major collection is set to 20 % above what the last
 * one left live (`--heap-growing-percent`, which V8 reads at each collection, so it works when
 * set at run time, unlike the young generation's size): those collections mark concurrently on
 * helper threads. A forced full collection, which stops the process for 250–450 ms on this
 * machine under load, is only the backstop: after `growthBytes` of growth since the last, or
 * every `atLeastEveryMs` with any growth (a quiet instance still gets trimmed). Measured at 3,000
 * documents (load 7–11): forcing a collection every 16 MB of growth cost 50 collections and 22 s
 * of a 271 s run; this policy 7 forced collections (3.4 s) and 30 of V8's own major ones (4.6 s)
 * in 229 s, the old generation at 84–95 MB either way. `gc` is not exposed to the main context
 * without `--expose-gc` on the command line (which `npm start` cannot pass), so it is enabled
 * here and taken from a fresh context, where V8 installs it.
 */
export function collectGarbageByAllocation(policy: CollectionPolicy = DEFAULT_COLLECTION_POLICY): {
  stop: () => void;
  stats: () => CollectionStats;
} {
  const stats: CollectionStats = { collections: 0, spentMs: 0 };
  const none = { stop: () => {}, stats: () => ({ ...stats }) };
  let gc: (() => void) | undefined;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    return none; // a runtime without it: V8's own schedule, only bigger
  }
  if (typeof gc !== 'function') return none;
  const collect = gc;
  if (policy.heapGrowingPercent) setFlagsFromString(`--heap-growing-percent=${policy.heapGrowingPercent}`);
  let liveAfterLast = getHeapStatistics().used_heap_size;
  let lastAt = Date.now();
  const timer = setInterval(() => {
    const used = getHeapStatistics().used_heap_size;
    const grown = used - liveAfterLast;
    if (grown < policy.growthBytes && !(grown > 0 && Date.now() - lastAt >= policy.atLeastEveryMs)) return;
    const started = performance.now();
    collect();
    stats.spentMs += performance.now() - started;
    stats.collections++;
    liveAfterLast = getHeapStatistics().used_heap_size;
    lastAt = Date.now();
  }, policy.checkEveryMs);
  timer.unref();
  return { stop: () => clearInterval(timer), stats: () => ({ ...stats }) };
}
