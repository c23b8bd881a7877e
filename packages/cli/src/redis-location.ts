import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_REDIS_URL } from '@sluice/worker-runtime';

/** Where `sluice start` notes the URL of a Redis it started, so other commands find it. */
const locationFile = (dataDir: string) => join(dataDir, 'redis.url');

export function rememberRedisUrl(dataDir: string, url: string) {
  writeFileSync(locationFile(dataDir), `${url}\n`);
}

export function forgetRedisUrl(dataDir: string) {
  rmSync(locationFile(dataDir), { force: true });
}

/** REDIS_URL, else the Redis that `sluice start` started, else the default local port. */
export function locateRedis(env = process.env): string {
  if (env.REDIS_URL) return env.REDIS_URL;
  const file = locationFile(env.SLUICE_DATA_DIR || '.data');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return DEFAULT_REDIS_URL;
}
