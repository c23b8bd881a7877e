import { describe, expect, it } from 'vitest';
import { FetchJobSchema, JOBS } from './jobs';
import { ALL_QUEUES, REDIS_PREFIX } from './queues';

describe('job contracts', () => {
  it('puts every job on a known queue, and no queue name contains a colon', () => {
    for (const spec of Object.values(JOBS)) expect(ALL_QUEUES).toContain(spec.queue);
    for (const queue of ALL_QUEUES) expect(queue).not.toContain(':');
    expect(REDIS_PREFIX).toMatch(/^\{.+\}$/); // a Redis Cluster hash tag
  });

  it('needs a url or a raw document in a fetch job', () => {
    const base = { documentId: 'a'.repeat(32), enqueuedAt: new Date().toISOString() };
    expect(FetchJobSchema.safeParse(base).success).toBe(false);
    expect(FetchJobSchema.safeParse({ ...base, url: 'https://a.example/x' }).success).toBe(true);
    expect(FetchJobSchema.safeParse({ ...base, raw: { body: '<p>x</p>' } }).success).toBe(true);
    expect(FetchJobSchema.safeParse({ ...base, raw: { body: '' } }).success).toBe(false);
  });

  it("carries a feed item's hints, bounded so the payload stays small", () => {
    const base = {
      documentId: 'a'.repeat(32),
      url: 'https://a.example/x',
      enqueuedAt: new Date().toISOString(),
    };
    const hints = {
      publishedAt: '2010-07-02T14:30:00Z',
      title: 'Talks',
      author: 'Jane Doe',
      categories: ['World'],
    };
    expect(FetchJobSchema.parse({ ...base, hints }).hints).toEqual({ ...hints });
    expect(FetchJobSchema.parse({ ...base, hints: {} }).hints).toEqual({ categories: [] });
    const tooMany = { categories: Array.from({ length: 21 }, (_, i) => `c${i}`) };
    expect(FetchJobSchema.safeParse({ ...base, hints: tooMany }).success).toBe(false);
    expect(FetchJobSchema.safeParse({ ...base, hints: { title: 'x'.repeat(501) } }).success).toBe(false);
  });
});
