import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often `sluice start` collects its garbage in full. */
export const FULL_GC_EVERY_MS = 10_000;

/**
 * A full garbage collection every `everyMs`, so the one long-lived process of `sluice start`
 * stays near its live heap (about 90 MB) instead of letting V8 grow the heap to two or three times
 * that between its own major collections (bench:memory: node at 330–340 MB with it, 380–450 MB
 * without, at the same point of the run). One collection of that heap takes tens of
 * milliseconds, well under 1 % of a core at this interval. `gc` is not exposed to the main
 * context without `--expose-gc` on the command line (which `npm start` cannot pass), so it is
 * enabled here and taken from a fresh context, where V8 installs it.
 */
export function collectGarbageRegularly(everyMs = FULL_GC_EVERY_MS): () => void {
  let gc: (() => void) | undefined;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    return () => {}; // a runtime without it: V8's own schedule, only bigger
  }
  if (typeof gc !== 'function') return () => {};
  const collect = gc;
  const timer = setInterval(() => collect(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
