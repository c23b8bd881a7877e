import { describe, expect, it } from 'vitest';
import { backoffInterval, nextPollInterval } from './schedule';

const now = Date.UTC(2024, 0, 10, 12);
const bounds = { minIntervalMs: 60_000, maxIntervalMs: 24 * 3600_000 };
const hourly = Array.from({ length: 10 }, (_, i) => new Date(now - i * 3600_000).toISOString());

describe('nextPollInterval', () => {
  it('polls an hourly feed every half hour', () => {
    expect(nextPollInterval({ itemDates: hourly, now }, bounds)).toBe(30 * 60_000);
  });

  it('polls a busier feed more often, within the minimum', () => {
    const busy = Array.from({ length: 10 }, (_, i) => new Date(now - i * 10_000).toISOString());
    expect(nextPollInterval({ itemDates: busy, now }, bounds)).toBe(60_000);
  });

  it('slows down for a feed that has gone quiet', () => {
    const quiet = hourly.map((date) => new Date(Date.parse(date) - 10 * 3600_000).toISOString());
    expect(nextPollInterval({ itemDates: quiet, now }, bounds)).toBe(2.5 * 3600_000);
  });

  it('never polls sooner than ttl, max-age, Expires or Retry-After allow', () => {
    expect(nextPollInterval({ itemDates: hourly, ttlMinutes: 90, now }, bounds)).toBe(90 * 60_000);
    expect(nextPollInterval({ itemDates: hourly, cacheControl: 'public, max-age=7200', now }, bounds)).toBe(
      7200_000,
    );
    const expires = new Date(now + 3 * 3600_000).toUTCString();
    expect(nextPollInterval({ itemDates: hourly, expires, now }, bounds)).toBe(3 * 3600_000);
    expect(nextPollInterval({ itemDates: hourly, retryAfterMs: 4 * 3600_000, now }, bounds)).toBe(
      4 * 3600_000,
    );
  });

  it('stays within the maximum and uses a default without dates', () => {
    expect(nextPollInterval({ itemDates: hourly, ttlMinutes: 100_000, now }, bounds)).toBe(
      bounds.maxIntervalMs,
    );
    expect(nextPollInterval({ itemDates: [null], now }, bounds)).toBe(6 * 3600_000);
  });
});

describe('backoffInterval', () => {
  it('doubles per failure up to the maximum and honours Retry-After', () => {
    expect([1, 2, 3, 4].map((n) => backoffInterval(n, bounds))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(backoffInterval(40, bounds)).toBe(bounds.maxIntervalMs);
    expect(backoffInterval(1, bounds, 600_000)).toBe(600_000);
  });
});
