import { describe, expect, it } from 'vitest';
import { activityChart } from './chart';

describe('activityChart', () => {
  it('draws a step area whose peak is the busiest bucket', () => {
    const hour = 3_600_000;
    const chart = activityChart([0, hour, hour, hour, 10 * hour], { buckets: 10 });
    expect(chart.peak).toBe(3);
    expect(chart.path).toMatch(/^M[\d.,ZLMH\-\s]+$/);
    expect(chart.label).toContain('5 documents');
  });

  it('copes with a single document', () => {
    const chart = activityChart([Date.UTC(2026, 0, 1)]);
    expect(chart.peak).toBe(1);
    expect(chart.path.length).toBeGreaterThan(0);
  });
});
