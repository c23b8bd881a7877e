import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-api';

// Each case takes a dependency away for good, so they run in this order on one pair of servers.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const body = (n: number) =>
  `<html><body><article><h1>Marker ${n}</h1><p>${'SECRET-BODY-TEXT '.repeat(2_000)}</p></article></body></html>`;

describe('the API answers 503 with Retry-After while a dependency is down or full', () => {
  it('answers 503 "Redis is out of memory" at maxmemory, and logs no command or body', async () => {
    expect(
      (await api.app.inject({ method: 'POST', url: '/documents', payload: { html: body(0) } })).statusCode,
    ).toBe(202);
    await api.redis.config('SET', 'maxmemory-policy', 'noeviction');
    await api.redis.config('SET', 'maxmemory', '1');
    try {
      const response = await api.app.inject({
        method: 'POST',
        url: '/documents',
        payload: { html: body(1) },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({ error: 'Redis is out of memory; try again shortly' });
    } finally {
      await api.redis.config('SET', 'maxmemory', '0');
    }
    const log = api.logs.join('');
    expect(log).toContain('answered 503: Redis is out of memory');
    expect(log).not.toContain('SECRET-BODY-TEXT');
    expect(log.length).toBeLessThan(20_000);
  });

  it('answers 503 for search and document status while PostgreSQL is down', async () => {
    expect((await api.app.inject({ url: '/search?q=marker' })).statusCode).toBe(200);
    await api.postgresServer.stop();
    const search = await api.app.inject({ url: '/search?q=marker' });
    expect([search.statusCode, search.headers['retry-after'], search.json().error]).toEqual([
      503,
      '5',
      'the database is unavailable; try again shortly',
    ]);
    const status = await api.app.inject({ url: `/documents/${'a'.repeat(32)}` });
    expect(status.statusCode).toBe(503);
    const stories = await api.app.inject({ url: '/stories' });
    expect(stories.statusCode).toBe(503);
  });

  it('answers 503 for submissions and status while Redis is down', async () => {
    for (const queue of Object.values(api.queues)) expect(queue.listenerCount('error')).toBeGreaterThan(0);
    await api.redisServer.stop();
    const submit = await api.app.inject({ method: 'POST', url: '/documents', payload: { html: body(2) } });
    expect([submit.statusCode, submit.headers['retry-after'], submit.json().error]).toEqual([
      503,
      '5',
      'Redis is unavailable; try again shortly',
    ]);
    const retry = await api.app.inject({ method: 'POST', url: `/documents/${'b'.repeat(32)}/retry` });
    expect(retry.statusCode).toBe(503);
    const board = await api.app.inject({ url: '/queues/api/queues' });
    expect([board.statusCode, board.headers['retry-after'], board.json()]).toEqual([
      503,
      '5',
      { error: 'Redis is unavailable; try again shortly' },
    ]);
    expect(api.logs.join('')).not.toContain('SECRET-BODY-TEXT');
    // Queue errors during the outage are one short line per queue at most every 10 s.
    const queueErrors = api.logs.filter((line) => line.includes('queue error (retrying)'));
    expect(queueErrors.length).toBeLessThanOrEqual(4);
    for (const line of queueErrors) expect(line.length).toBeLessThan(2_000);
  });
});
