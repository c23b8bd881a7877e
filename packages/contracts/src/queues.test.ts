import { describe, expect, it } from 'vitest';
import { ALL_QUEUES, queuePrefix, REDIS_PREFIX } from './queues';

describe('queue prefixes', () => {
  it('gives every queue its own Redis Cluster hash tag, apart from the shared keys', () => {
    const prefixes = ALL_QUEUES.map(queuePrefix);
    for (const prefix of prefixes) expect(prefix).toMatch(/^\{[^{}:]+\}$/);
    expect(new Set(prefixes).size).toBe(ALL_QUEUES.length);
    expect(prefixes).not.toContain(REDIS_PREFIX);
    expect(queuePrefix('fetch')).toBe('{sluice-fetch-jobs}');
  });
});
