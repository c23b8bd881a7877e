import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, redisAnswers, startRedisServer } from './index';

describe('startRedisServer', () => {
  it('runs redis-server on loopback with its append-only file in the data directory, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-local-redis-'));
    const server = await startRedisServer({ dataDir: dir });
    try {
      expect(await redisAnswers(server.url)).toBe(true);
      const client = new Redis(server.url);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      client.disconnect();
      expect(readdirSync(dir).some((name) => name.startsWith('appendonly'))).toBe(true);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await redisAnswers(server.url)).toBe(false);
  });

  it('says no when nothing answers', async () => {
    expect(await redisAnswers(`redis://127.0.0.1:${await freePort()}`, 300)).toBe(false);
  });
});
