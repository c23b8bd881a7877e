import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-api';

const USER = 'ops';
const PASSWORD = 'long-secret-pw';
const TOKEN = 'a-token-of-32-characters-or-more!';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const storyId = 'c'.repeat(32);

/** Every write route, one request each. */
const writes = [
  { method: 'POST', url: '/documents', payload: { text: 'A short note about the harbour budget vote.' } },
  { method: 'POST', url: `/documents/${'d'.repeat(32)}/retry` },
  { method: 'POST', url: '/documents/retry-failed', payload: {} },
  { method: 'POST', url: '/feeds', payload: { url: 'https://news.example/feed.xml', discover: false } },
  { method: 'DELETE', url: '/feeds/some-feed' },
  { method: 'POST', url: '/feeds/some-feed/refresh' },
  { method: 'POST', url: '/sitemaps', payload: { url: 'https://news.example/sitemap.xml' } },
  { method: 'DELETE', url: '/sitemaps/some-sitemap' },
  { method: 'POST', url: `/stories/${storyId}/merge`, payload: { from: 'e'.repeat(32) } },
  { method: 'PUT', url: '/queues/api/queues/pause' },
  { method: 'PUT', url: '/queues/api/queues/fetch/retry/failed' },
] as const;

describe('with credentials configured', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(
      { DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD, SLUICE_API_TOKEN: TOKEN },
      (app) => {
        // What the pages layer does after checking a session cookie and CSRF token.
        app.addHook('onRequest', async (request) => {
          if (request.headers.cookie === 'session=checked') request.sessionUser = 'editor';
        });
      },
    );
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('answers 401 to every write without credentials, or with wrong ones', async () => {
    for (const write of writes) {
      for (const authorization of [
        undefined,
        basic(USER, 'wrong-password'),
        'Bearer wrong-token',
        basic('x', PASSWORD),
      ]) {
        const response = await api.app.inject({ ...write, headers: authorization ? { authorization } : {} });
        expect(response.statusCode, `${write.method} ${write.url} with ${authorization}`).toBe(401);
        expect(response.json()).toEqual({ error: 'authentication required' });
        expect(response.headers['www-authenticate']).toBe('Basic realm="Sluice"');
      }
    }
  });

  it('lets writes through with basic auth, a bearer token, or a checked session', async () => {
    for (const headers of [
      { authorization: basic(USER, PASSWORD) },
      { authorization: `Bearer ${TOKEN}` },
      { cookie: 'session=checked' },
    ]) {
      for (const write of writes) {
        const response = await api.app.inject({ ...write, headers });
        expect(response.statusCode, `${write.method} ${write.url} with ${JSON.stringify(headers)}`).not.toBe(
          401,
        );
        expect(response.statusCode).toBeLessThan(500);
      }
    }
    // The documents really were taken.
    expect(await api.queues.fetch.getJobCounts('wait')).toEqual({ wait: 1 });
  });

  it('keeps reads open and the dashboard behind the same credentials', async () => {
    expect((await api.app.inject({ url: '/search?q=harbour' })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/feeds' })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/queues' })).statusCode).toBe(401);
    expect((await api.app.inject({ url: '/queues/api/queues' })).statusCode).toBe(401);
    const withBasic = await api.app.inject({
      url: '/queues',
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(withBasic.statusCode).toBe(200);
    const withSession = await api.app.inject({
      url: '/queues/api/queues',
      headers: { cookie: 'session=checked' },
    });
    expect(withSession.statusCode).toBe(200);
  });
});

describe('without credentials', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('takes writes from loopback only, and reads from anywhere', async () => {
    for (const write of writes.slice(0, 9)) {
      const remote = await api.app.inject({ ...write, remoteAddress: '203.0.113.9' });
      expect(remote.statusCode, `${write.method} ${write.url}`).toBe(403);
      expect(remote.json().error).toMatch(/only .*until API credentials are configured/);
      const local = await api.app.inject({ ...write, remoteAddress: '127.0.0.1' });
      expect(local.statusCode, `${write.method} ${write.url}`).not.toBe(403);
      expect(local.statusCode).toBeLessThan(500);
    }
    expect((await api.app.inject({ url: '/search?q=x', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/queues', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
  });
});
