import { describe, expect, it } from 'vitest';
import { backlogVerdict } from './backlog';

describe('backlogVerdict', () => {
  it('is over when any document stage passes the limit, naming the fullest stage', () => {
    const verdict = backlogVerdict(
      [
        ['fetch', 10],
        ['extract', 40],
        ['index', 5_200],
      ],
      5_000,
    );
    expect(verdict).toMatchObject({ over: true, stage: 'index', backlog: 5_200, limit: 5_000 });
    expect(verdict.retryAfterSeconds).toBeGreaterThanOrEqual(5);
    expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it('is not over at or under the limit', () => {
    expect(
      backlogVerdict(
        [
          ['fetch', 5_000],
          ['index', 3],
        ],
        5_000,
      ),
    ).toMatchObject({ over: false, stage: null, retryAfterSeconds: 0 });
  });
});
