import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type LocalRedisServer, redisAnswers, startRedisServer } from '@sluice/local-redis';
import { clusterUrl, DEFAULT_REDIS_URL } from '@sluice/worker-runtime';

export const NO_REDIS_HELP = `Sluice needs Redis and found none. Any one of these works:
  - install it with your package manager (apt-get install redis-server, brew install redis) and run sluice start again;
  - start the project's container: docker compose up -d redis;
  - point at a running server: REDIS_URL=redis://host:6379 sluice start`;

export interface ResolvedRedis {
  url: string;
  /** How it was found: `env`, `local` (something on 6379), or `started` (we run it). */
  origin: 'env' | 'local' | 'started';
  embedded: LocalRedisServer | null;
}

/**
 * The embedded redis-server's persistence, tuned for one machine. Each document writes about
 * 28 KB to the append-only file as it passes the three stages (bench:memory), so with Redis's
 * default threshold (64 MB) the file is rewritten every ~2,300 documents, and every rewrite
 * forks redis-server: for a second or so the machine holds a second copy of its pages (shared
 * until written, but counted in full in the tree's RSS). At 256 MB the file is rewritten every
 * ~9,000 documents and never holds more than about 256 MB plus one snapshot of the data on disk.
 */
export const EMBEDDED_REDIS_SETTINGS = {
  'auto-aof-rewrite-min-size': '256mb',
  'auto-aof-rewrite-percentage': '100',
};

/**
 * REDIS_CLUSTER_NODES (a cluster) or REDIS_URL if set; else whatever answers on 127.0.0.1:6379; else a redis-server from PATH
 * started here with its data (AOF on) under the data directory, stopped when Sluice stops.
 */
export async function resolveRedis(dataDir: string, env = process.env): Promise<ResolvedRedis> {
  if (env.REDIS_CLUSTER_NODES)
    return { url: clusterUrl(env.REDIS_CLUSTER_NODES), origin: 'env', embedded: null };
  if (env.REDIS_URL) return { url: env.REDIS_URL, origin: 'env', embedded: null };
  if (await redisAnswers(DEFAULT_REDIS_URL))
    return { url: DEFAULT_REDIS_URL, origin: 'local', embedded: null };
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) throw new Error(NO_REDIS_HELP);
  const embedded = await startRedisServer({
    dataDir: join(dataDir, 'redis'),
    appendOnly: true,
    ownProcessGroup: true,
    settings: EMBEDDED_REDIS_SETTINGS,
  });
  return { url: embedded.url, origin: 'started', embedded };
}
