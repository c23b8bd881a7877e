import { describe, expect, it } from 'vitest';
import { collectGarbageRegularly } from './heap-trim';

describe('collectGarbageRegularly', () => {
  it('collects unreachable objects on its own schedule, and stops when told', async () => {
    let garbage: object | null = { payload: new Array(10_000).fill('x') };
    const watched = new WeakRef(garbage);
    garbage = null;
    const stop = collectGarbageRegularly(50);
    try {
      const deadline = Date.now() + 5_000;
      while (watched.deref() !== undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      expect(watched.deref()).toBeUndefined();
    } finally {
      stop();
    }
  });
});
