import { describe, expect, it } from 'vitest';
import { dependencyWaitsOf, TRANSIENT_MAX_DELAY_MS, transientDelayMs } from './transient-wait';

describe('waiting out a dependency fault', () => {
  it('doubles from one second and stays under the cap, with at most a fifth of jitter', () => {
    const noJitter = () => 1;
    expect([0, 1, 2, 3].map((n) => transientDelayMs(n, noJitter))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(transientDelayMs(40, noJitter)).toBe(TRANSIENT_MAX_DELAY_MS);
    expect(transientDelayMs(0, () => 0)).toBe(800);
  });

  it('counts the waits a job had from its starts and spent attempts', () => {
    expect(dependencyWaitsOf({ attemptsStarted: 1, attemptsMade: 0 })).toBe(0);
    expect(dependencyWaitsOf({ attemptsStarted: 4, attemptsMade: 1 })).toBe(2);
    expect(dependencyWaitsOf({ attemptsStarted: 0, attemptsMade: 0 })).toBe(0);
  });
});
