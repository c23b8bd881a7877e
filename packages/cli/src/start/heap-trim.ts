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
}

export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = {
  checkEveryMs: 1_000,
  growthBytes: 16 * 1024 * 1024,
  atLeastEveryMs: 10_000,
};

export interface CollectionStats {
  collections: number;
  /** Time spent in the forced collections, ms. */
  spentMs: number;
}

/**
 * Full garbage collections by allocation, so the one long-lived process of `sluice start` stays
 * near its live heap (80–90 MB) instead of letting V8 grow the heap to two or three times that
 * between its own major collections. V8 keeps the old generation's pages once it has grown, so
 * what matters is the peak between collections: a collection every 10 s by the clock let node
 * reach 365–431 MB at 15–40 documents a second (bench:memory), since the heap grows with
 * throughput. Collecting after every `growthBytes` of growth bounds that peak whatever the rate;
 * at low throughput it falls back to one collection every `atLeastEveryMs`. One collection of
 * this heap takes tens of milliseconds. `gc` is not exposed to the main context without
 * `--expose-gc` on the command line (which `npm start` cannot pass), so it is enabled here and
 * taken from a fresh context, where V8 installs it.
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
