import { describe, expect, it } from 'vitest';
import { jobsPerMinute } from './job-rate';

const minute = 60_000;

describe('jobsPerMinute', () => {
  it("puts the unwritten jobs in prevTS's minute and the list's points in the minutes before", () => {
    const now = 1_000 * minute + 30_000;
    // Last write two minutes ago; the list holds 4 then 0 then 7 jobs for the minutes before that.
    const metrics = { meta: { count: 20, prevTS: 998 * minute + 5_000, prevCount: 17 }, data: [4, 0, 7] };
    expect(jobsPerMinute(metrics, 6, now)).toEqual([7, 0, 4, 3, 0, 0]);
  });

  it('counts nothing before any job finished, and forgets minutes older than asked', () => {
    expect(jobsPerMinute({ meta: { count: 0, prevTS: 0, prevCount: 0 }, data: [] }, 3)).toEqual([0, 0, 0]);
    const old = { meta: { count: 5, prevTS: 10 * minute, prevCount: 0 }, data: [9] };
    expect(jobsPerMinute(old, 60, 200 * minute)).toEqual(new Array(60).fill(0));
  });
});
