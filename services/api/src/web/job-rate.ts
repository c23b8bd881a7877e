/** The parts of BullMQ's `Queue.getMetrics` answer that say when jobs finished. */
export interface MinuteMetrics {
  meta: { count: number; prevTS: number; prevCount: number };
  /** Jobs per minute, newest first, ending with the minute before `prevTS`'s. */
  data: readonly number[];
}

/**
 * Jobs finished in each of the last `minutes` minutes, oldest first. BullMQ writes a minute's
 * count only when a job finishes in a later minute, so the newest jobs (since `prevTS`) are
 * still in `count - prevCount`, and the list stops at the last minute anything finished.
 */
export function jobsPerMinute(metrics: MinuteMetrics, minutes: number, now = Date.now()): number[] {
  const currentMinute = Math.floor(now / 60_000);
  const lastWritten = Math.floor(metrics.meta.prevTS / 60_000);
  const pending = Math.max(metrics.meta.count - metrics.meta.prevCount, 0);
  return Array.from({ length: minutes }, (_, index) => {
    const minute = currentMinute - (minutes - 1) + index;
    if (metrics.meta.prevTS === 0) return 0;
    if (minute === lastWritten) return pending;
    if (minute > lastWritten) return 0;
    return Number(metrics.data[lastWritten - 1 - minute] ?? 0);
  });
}
