import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, (app) => {
    // Failures no route should have, to see what a client and the log would get.
    app.get('/test/bug', async () => {
      throw new Error('relation "secret_table" does not exist: SELECT * FROM secret_table');
    });
    app.get('/test/reply-error', async () => {
      const error = Object.assign(new Error('ERR wrong number of arguments'), {
        name: 'ReplyError',
        command: { name: 'evalsha', args: ['sha', 'SECRET-DOCUMENT-BODY '.repeat(500)] },
      });
      throw error;
    });
  });
}, 120_000);
afterAll(async () => {
  await api?.close();
});

describe('the error handler', () => {
  it('answers an unexpected failure with a bare 500 and logs a bounded summary', async () => {
    const response = await api.app.inject({ url: '/test/bug' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal error', requestId: expect.any(String) });
    expect(response.body).not.toContain('secret_table');
    expect(api.logs.join('')).toContain('secret_table');
  });

  it('never logs the command (and the document body) an ioredis error carries', async () => {
    const response = await api.app.inject({ url: '/test/reply-error' });
    expect(response.json()).toEqual({ error: 'internal error', requestId: expect.any(String) });
    const logged = api.logs.join('');
    expect(logged).toContain('ERR wrong number of arguments');
    expect(logged).not.toContain('SECRET-DOCUMENT-BODY');
    expect(logged).not.toContain('evalsha');
  });
});
