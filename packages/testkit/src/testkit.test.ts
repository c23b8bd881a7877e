import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type TestServer } from './index';

describe('testkit', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('starts a Redis that answers', async () => {
    const server = await startRedis();
    servers.push(server);
    const client = new Redis(server.url);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });

  it('starts a PostgreSQL that runs queries', async () => {
    const server = await startPostgres();
    servers.push(server);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query("SELECT to_tsvector('english', 'running dogs') AS v");
    expect(rows[0].v).toContain('run');
    await client.end();
  }, 60_000);
});
