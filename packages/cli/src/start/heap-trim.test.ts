import { describe, expect, it } from 'vitest';
import { collectGarbageByAllocation } from './heap-trim';

const waitFor = async (done: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('collectGarbageByAllocation', () => {
  it('collects once the heap has grown by the given amount', async () => {
    const trim = collectGarbageByAllocation({
      checkEveryMs: 10,
      growthBytes: 4 * 1024 * 1024,
      atLeastEveryMs: 60_000,
    });
    try {
      let garbage: string[] | null = Array.from({ length: 200_000 }, (_, i) => `item ${i}`); // ~10 MB
      const watched = new WeakRef(garbage);
      garbage = null;
      await waitFor(() => watched.deref() === undefined);
      expect(watched.deref()).toBeUndefined();
      expect(trim.stats().collections).toBeGreaterThan(0);
    } finally {
      trim.stop();
    }
  });

  it('does not collect while the heap has not grown enough, and still does after the longest wait', async () => {
    const trim = collectGarbageByAllocation({
      checkEveryMs: 10,
      growthBytes: 1024 * 1024 * 1024,
      atLeastEveryMs: 400,
    });
    try {
      const small = Array.from({ length: 1_000 }, (_, i) => ({ i }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(trim.stats().collections).toBe(0);
      small.push(...Array.from({ length: 10_000 }, (_, i) => ({ i })));
      await waitFor(() => trim.stats().collections > 0);
      expect(trim.stats().collections).toBeGreaterThan(0);
      expect(small.length).toBe(11_000);
    } finally {
      trim.stop();
    }
  });
});
