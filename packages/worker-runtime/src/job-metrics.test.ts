import { describe, expect, it } from 'vitest';
import { QueueCpuMeter } from './job-metrics';

/** Spins until this process has used `ms` of CPU (not wall time: the machine may be busy). */
const burn = (ms: number) => {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
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
    expect(cpu).toBeGreaterThanOrEqual(60);
    expect(cpu).toBeLessThan(1_000);
    expect(meter.leave()).toBe(0); // nothing open
  });
});
