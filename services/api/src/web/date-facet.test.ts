import { describe, expect, it } from 'vitest';
import { periodLabel as labelOf, periodEdges } from './date-facet';

const iso = (times: number[]) => times.map((time) => new Date(time).toISOString().slice(0, 10));

describe('the date facet periods', () => {
  it('picks calendar-friendly edges at midnight UTC that cover the span', () => {
    const edges = periodEdges(Date.parse('2014-03-10T05:00Z'), Date.parse('2014-03-27T10:00Z'));
    expect(edges.every((edge) => edge % 86_400_000 === 0)).toBe(true);
    expect(edges[0]).toBeLessThanOrEqual(Date.parse('2014-03-10T05:00Z'));
    expect(edges.at(-1)).toBeGreaterThan(Date.parse('2014-03-27T10:00Z'));
    expect(edges.length - 1).toBeGreaterThanOrEqual(3);
    expect(edges.length - 1).toBeLessThanOrEqual(12);
    // Years for a long archive, one day for a few hours.
    expect(iso(periodEdges(Date.parse('2008-10-10'), Date.parse('2026-12-01'))).slice(0, 2)).toEqual([
      '2005-01-01',
      '2010-01-01',
    ]);
    expect(iso(periodEdges(Date.parse('2026-09-03'), Date.parse('2026-12-01')))).toEqual([
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
    expect(iso(periodEdges(Date.parse('2026-12-01T03:00Z'), Date.parse('2026-12-01T09:00Z')))).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
  });

  it('names a period as briefly as its length allows', () => {
    const periodLabel = (from: number, to: number) => labelOf(from, to).replace(/\s/g, ' ');
    expect(periodLabel(Date.parse('2014-03-16'), Date.parse('2014-03-23'))).toBe('16 – 22 Mar 2014');
    expect(periodLabel(Date.parse('2014-03-16'), Date.parse('2014-03-17'))).toBe('16 Mar 2014');
    expect(periodLabel(Date.parse('2014-03-01'), Date.parse('2014-04-01'))).toBe('Mar 2014');
    expect(periodLabel(Date.parse('2008-01-01'), Date.parse('2010-01-01'))).toBe('2008 – 2009');
  });
});
