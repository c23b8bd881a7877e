import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './test-api';

// No workers run here: every accepted document stays in the fetch stage's backlog.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SLUICE_MAX_BACKLOG: '3' });
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const submit = (n: number) =>
  api.app.inject({
    method: 'POST',
    url: '/documents',
    payload: { text: `Budget note number ${n} for the harbour board.` },
  });
const pastCache = () => new Promise((resolve) => setTimeout(resolve, 1_100));

describe('backpressure', () => {
  it('answers 503 with Retry-After while a stage is over SLUICE_MAX_BACKLOG, and accepts again once it drains', async () => {
    for (let n = 0; n < 4; n++) expect((await submit(n)).statusCode).toBe(202);
    await pastCache();
    const refused = await submit(4);
    expect(refused.statusCode).toBe(503);
    // One over the limit: the shortest wait contracts' backlogVerdict gives.
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toEqual({
      error: 'the fetch stage has 4 unfinished documents (limit 3); try again later',
    });
    expect(
      (await api.app.inject({ method: 'POST', url: '/documents/retry-failed', payload: {} })).statusCode,
    ).toBe(503);
    // Reads are never refused for backlog.
    expect((await api.app.inject({ url: '/search?q=budget' })).statusCode).toBe(200);
    expect(await api.queues.fetch.getJobCounts('wait')).toEqual({ wait: 4 });

    await api.queues.fetch.drain();
    await pastCache();
    expect((await submit(4)).statusCode).toBe(202);
  });
});
