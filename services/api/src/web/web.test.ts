import { createLogger } from '@sluice/logger';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import { startRedis, type TestServer } from '@sluice/testkit';
import { createProducerConnection, createQueues } from '@sluice/worker-runtime';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { apiEnvSchema } from '../config';

const STORY = 'a'.repeat(32);

describe('the web pages without and with credentials', () => {
  let redisServer: TestServer;
  let redis: Redis;
  let db: Database;
  const apps: FastifyInstance[] = [];

  const app = async (environment: Record<string, string>) => {
    const config = apiEnvSchema.parse({ HOST: '127.0.0.1', PORT: '0', ...environment });
    const logger = createLogger({ name: 'test', level: 'silent', pretty: false });
    const built = await buildApp({ db, queues: createQueues(redis), redis, logger }, config);
    apps.push(built);
    return built;
  };

  beforeAll(async () => {
    redisServer = await startRedis();
    redis = createProducerConnection(redisServer.url, 'web-test');
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
  }, 60_000);

  afterAll(async () => {
    for (const built of apps) await built.close();
    redis?.disconnect();
    await db?.close();
    await redisServer?.stop();
  });

  it('serves the home page with a strict CSP and frame denial, read-only without credentials', async () => {
    const readOnly = await app({});
    const home = await readOnly.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    const csp = String(home.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(home.headers['x-frame-options']).toBe('DENY');
    expect(home.body).toContain('Read-only');
    expect(home.body).not.toMatch(/<script>|\son\w+=/);

    const signIn = await readOnly.inject({ method: 'GET', url: '/web/sign-in' });
    expect(signIn.body).toContain('nothing to sign in to');
    const merge = await readOnly.inject({
      method: 'POST',
      url: `/web/stories/${STORY}/merge`,
      payload: 'from=' + 'b'.repeat(32),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(merge.statusCode).toBe(403);
    expect(merge.body).toContain('DASHBOARD_USER');
  });

  it('signs in with the dashboard credentials only through its own form (CSRF), and answers bad input with 4xx pages', async () => {
    const editable = await app({ DASHBOARD_USER: 'editor', DASHBOARD_PASSWORD: 'long enough secret' });
    // A login post without the form's session and token is refused.
    const blind = await editable.inject({
      method: 'POST',
      url: '/web/sign-in',
      payload: 'user=editor&password=long+enough+secret',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(blind.statusCode).toBe(403);
    expect(blind.headers['set-cookie']).toBeUndefined();

    const form = await editable.inject({ method: 'GET', url: '/web/sign-in?next=/web/feeds' });
    const cookie = String(form.headers['set-cookie']).split(';')[0]!;
    const action = /action="([^"]+)"/.exec(form.body.slice(form.body.indexOf('<form class="stack"')))?.[1];
    expect(action).toMatch(/^\/web\/sign-in\?csrf=/);
    const signIn = await editable.inject({
      method: 'POST',
      url: action!,
      payload: 'user=editor&password=long+enough+secret&next=%2F%2Fevil.example',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    expect(signIn.statusCode).toBe(303);
    // Only a path on this site is followed after sign-in.
    expect(signIn.headers.location).toBe('/');
    expect(String(signIn.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);

    for (const url of [
      '/web/documents/nope',
      '/web/stories/nope',
      `/web/stories/${STORY}`,
      '/?from=yesterday',
    ]) {
      const response = await editable.inject({ method: 'GET', url });
      expect([400, 404], url).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('text/html');
    }
  });

  /** Signs in through the sign-in form; the signed-in session's cookie and its CSRF token. */
  const signIn = async (built: FastifyInstance, user: string, password: string) => {
    const form = await built.inject({ method: 'GET', url: '/web/sign-in' });
    const anonymous = String(form.headers['set-cookie']).split(';')[0]!;
    const action = /action="([^"]+)"/.exec(form.body.slice(form.body.indexOf('<form class="stack"')))?.[1];
    const signedIn = await built.inject({
      method: 'POST',
      url: action!,
      payload: new URLSearchParams({ user, password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anonymous },
    });
    expect(signedIn.statusCode).toBe(303);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const page = await built.inject({ method: 'GET', url: '/web/feeds', headers: { cookie } });
    const csrf = /sign-out\?csrf=([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    return { cookie, csrf: csrf! };
  };

  it('opens Bull Board with the signed-in session: its pages, and its actions sent from this origin', async () => {
    const editable = await app({ DASHBOARD_USER: 'editor', DASHBOARD_PASSWORD: 'long enough secret' });
    const { cookie } = await signIn(editable, 'editor', 'long enough secret');
    for (const url of ['/queues', '/queues/queue/fetch', '/queues/api/queues']) {
      const response = await editable.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['www-authenticate'], url).toBeUndefined();
    }
    // Bull Board's own fetches (a retry of every failed job) cannot carry the pages' CSRF token:
    // the browser's word that they come from this origin stands in for it.
    const retry = { method: 'PUT' as const, url: '/queues/api/queues/fetch/retry/failed' };
    const sameOrigin = await editable.inject({
      ...retry,
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(200);
    const byOrigin = await editable.inject({
      ...retry,
      headers: { cookie, host: 'sluice.example:3000', origin: 'http://sluice.example:3000' },
    });
    expect(byOrigin.statusCode).toBe(200);
    // The same cookie from another site's page, or with no word of where it came from, proves nothing.
    for (const headers of [
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, host: 'sluice.example:3000', origin: 'https://evil.example' },
      { cookie },
    ]) {
      const refused = await editable.inject({ ...retry, headers });
      expect(refused.statusCode, JSON.stringify(headers)).toBe(401);
    }
    // A person who has not signed in is sent to sign in, not to a basic-auth prompt; scripts keep
    // their 401 and their basic auth.
    const navigation = await editable.inject({
      method: 'GET',
      url: '/queues/queue/index',
      headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
    });
    expect(navigation.statusCode).toBe(303);
    expect(navigation.headers.location).toBe('/web/sign-in?next=%2Fqueues%2Fqueue%2Findex');
    const script = await editable.inject({ method: 'GET', url: '/queues/api/queues' });
    expect(script.statusCode).toBe(401);
    expect(script.headers['www-authenticate']).toBe('Basic realm="Sluice"');
    const basic = `Basic ${Buffer.from('editor:long enough secret').toString('base64')}`;
    const withBasic = await editable.inject({
      method: 'GET',
      url: '/queues',
      headers: { authorization: basic, accept: 'text/html' },
    });
    expect(withBasic.statusCode).toBe(200);
  });

  it("answers a page form without a valid CSRF token with a 403 page; scripts' credentials still work", async () => {
    const token = 'a-token-of-32-characters-or-more!';
    const editable = await app({
      DASHBOARD_USER: 'editor',
      DASHBOARD_PASSWORD: 'long enough secret',
      SLUICE_API_TOKEN: token,
    });
    const { cookie, csrf } = await signIn(editable, 'editor', 'long enough secret');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const refresh = (query: string, headers: Record<string, string>) =>
      editable.inject({
        method: 'POST',
        url: `/web/feeds/no-such-feed/refresh${query}`,
        payload: '',
        headers: { ...form, ...headers },
      });
    for (const [query, headers, heading] of [
      ['', { cookie }, 'Form expired'],
      ['?csrf=forged', { cookie }, 'Form expired'],
      [`?csrf=${csrf}`, {}, 'Sign in first'],
      ['', {}, 'Sign in first'],
    ] as const) {
      const refused = await refresh(query, headers);
      expect(refused.statusCode, `${query} ${JSON.stringify(headers)}`).toBe(403);
      expect(refused.headers['content-type']).toContain('text/html');
      expect(refused.headers['www-authenticate']).toBeUndefined();
      expect(refused.body).toContain(`<h1>${heading}</h1>`);
    }
    // The session with its token, and scripts with basic or bearer credentials, get past the guard
    // to the route itself (which says the feed does not exist).
    const allowed: [string, Record<string, string>][] = [
      [`?csrf=${csrf}`, { cookie }],
      ['', { authorization: `Basic ${Buffer.from('editor:long enough secret').toString('base64')}` }],
      ['', { authorization: `Bearer ${token}` }],
    ];
    for (const [query, headers] of allowed) {
      const response = await refresh(query, headers);
      expect(response.statusCode, JSON.stringify(headers)).not.toBe(403);
      expect(response.statusCode).toBeLessThan(500);
    }
    // A script with wrong credentials is answered as the API answers it.
    const wrong = await refresh('', { authorization: 'Bearer wrong-token' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="Sluice"');
  });
});
