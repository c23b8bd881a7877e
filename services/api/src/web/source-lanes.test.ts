import { describe, expect, it } from 'vitest';
import { type LaneMember, sourceLanes } from './source-lanes';

const member = (
  id: string,
  source: string | null,
  at: string,
  duplicateOf: string | null = null,
): LaneMember => ({
  id,
  title: `Report ${id}`,
  source,
  url: null,
  at,
  duplicateOf,
});

describe('sourceLanes', () => {
  it('gives each source a lane, busiest first, and places documents on one time axis', () => {
    const chart = sourceLanes(
      [
        member('a', 'ABC', '2026-03-01T00:00:00Z'),
        member('b', 'BBC', '2026-03-02T00:00:00Z'),
        member('c', 'ABC', '2026-03-03T00:00:00Z'),
        member('d', 'Wire', '2026-03-03T00:00:00Z', 'c'),
      ],
      (m) => m.source ?? 'unknown source',
    );
    expect(chart.lanes.map((lane) => [lane.source, lane.count])).toEqual([
      ['ABC', 2],
      ['BBC', 1],
      ['Wire', 1],
    ]);
    // First and last times at the ends of the axis, the middle one half way.
    expect(chart.lanes[0]?.dots.map((dot) => dot.x)).toEqual([2, 98]);
    expect(chart.lanes[1]?.dots[0]?.x).toBe(50);
    expect(chart.lanes[2]?.dots[0]).toMatchObject({ x: 98, duplicate: true });
    // Lanes stack downwards; the axis sits under the last one, with d3's ticks in order.
    const ys = chart.lanes.map((lane) => lane.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(chart.axisY).toBeGreaterThan(ys.at(-1) as number);
    expect(chart.ticks.length).toBeGreaterThan(1);
    expect(chart.ticks.map((tick) => tick.x)).toEqual(
      chart.ticks.map((tick) => tick.x).sort((a, b) => a - b),
    );
    expect(chart.label).toMatch(/^Timeline by source, 3 sources from .* ABC 2, BBC 1, Wire 1$/);
  });

  it('copes with a single document, and keeps at most twelve lanes', () => {
    const one = sourceLanes([member('a', 'ABC', '2026-03-01T10:00:00Z')], (m) => m.source ?? '');
    expect(one.lanes[0]?.dots[0]?.x).toBe(50);
    const many = sourceLanes(
      Array.from({ length: 15 }, (_, index) =>
        member(`m${index}`, `Source ${index}`, `2026-03-0${(index % 9) + 1}T00:00:00Z`),
      ),
      (m) => m.source ?? '',
    );
    expect(many.lanes).toHaveLength(12);
    expect(many.otherSources).toBe(3);
    expect(many.label).toMatch(/and 3 more$/);
  });
});
