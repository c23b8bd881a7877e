import type { QueueMap } from '@sluice/contracts';
import { type Database, openDatabase, runMigrations } from '@sluice/store';
import { startPostgres, startRedis } from '@sluice/testkit';
import { closeQueues, createQueues } from '@sluice/worker-runtime';
import { Redis } from 'ioredis';
import { FeedStore } from '../feed-store';
import { HostLimits } from '../host-limits';
import { feedMigrations } from '../migrations';
import type { PollDependencies } from '../poll-feed';
import { pollRobotsCache } from '../robots';
import { feedSettingsFromEnv } from '../settings';
import { type Handler, type LocalServer, routes, startLocalServer } from './local-server';

export interface PollHarness {
  redis: Redis;
  queues: QueueMap;
  db: Database;
  /** One loopback site per entry of `sites`, in the same order. */
  sites: LocalServer[];
  deps: PollDependencies;
  close(): Promise<void>;
}

export interface PollHarnessOptions {
  /** Each site: its loopback address and its routes by path. */
  sites: { address: string; routes: Record<string, Handler> }[];
  /** Feed settings beyond the loopback allowance and a host budget that never waits. */
  env?: Record<string, string>;
  /** A real PostgreSQL instead of in-memory PGlite. */
  postgres?: boolean;
}

/**
 * What the polling tests share: a real Redis and queues, a migrated feed store, loopback sites
 * the fetch guard is told to allow, and the poll dependencies wired as the fetcher wires them.
 */
export async function startPollHarness(options: PollHarnessOptions): Promise<PollHarness> {
  const [redisServer, postgresServer] = await Promise.all([
    startRedis(),
    options.postgres ? startPostgres() : null,
  ]);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  if (options.postgres) await redis.flushall();
  const queues = createQueues(redis);
  const db = await openDatabase(postgresServer ? { url: postgresServer.url } : { dataDir: 'memory://' });
  await runMigrations(db, 'feeds', feedMigrations);
  const sites = await Promise.all(
    options.sites.map((site) => startLocalServer(routes(site.routes), site.address)),
  );
  const settings = feedSettingsFromEnv({
    FETCH_ALLOW_PRIVATE: options.sites.map((site) => site.address).join(','),
    FETCH_ALLOWED_PORTS: sites.map((site) => site.port).join(','),
    SLUICE_HOST_RATE_PER_S: '1000',
    SLUICE_HOST_BURST: '1000',
    ...options.env,
  });
  const limits = new HostLimits(redis, settings.hostLimits);
  const deps: PollDependencies = {
    store: new FeedStore(db),
    queues,
    limits,
    robots: pollRobotsCache(redis, settings, undefined, limits),
    settings,
  };
  return {
    redis,
    queues,
    db,
    sites,
    deps,
    close: async () => {
      await closeQueues(queues);
      redis.disconnect();
      await db.close();
      await Promise.all(sites.map((site) => site.close()));
      await Promise.all([redisServer.stop(), postgresServer?.stop()]);
    },
  };
}
