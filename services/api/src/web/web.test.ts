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
});
