import { describe, expect, it } from 'vitest';
import { QueueCpuMeter } from './job-metrics';

const burn = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: CPU-bound work, as a cleaning or extraction job would do
  }
};

describe('QueueCpuMeter', () => {
  it('counts the CPU of overlapping jobs once, when the last one ends', () => {
    const meter = new QueueCpuMeter();
    meter.enter();
    meter.enter();
    burn(30);
    expect(meter.leave()).toBe(0);
    burn(30);
    const cpu = meter.leave();
    expect(cpu).toBeGreaterThanOrEqual(40);
    expect(cpu).toBeLessThan(1_000);
    expect(meter.leave()).toBe(0); // nothing open
  });
});
