import {
  type FeedEnv,
  type FeedSettings,
  FeedStore,
  feedSettingsFromConfig,
  HostLimits,
  type PollDependencies,
  pollRobotsCache,
} from '@sluice/feeds';
import type { Runtime } from '@sluice/worker-runtime';

const cache = new WeakMap<object, PollDependencies>();

/**
 * The feed store, host limits and settings for a runtime, built once per process. Feeds keep
 * their state in the database, so the service running these handlers needs one.
 */
export function feedDependencies(runtime: Runtime, settings?: FeedSettings): PollDependencies {
  const cached = cache.get(runtime.redis);
  if (cached) return cached;
  if (!runtime.db) throw new Error('feed polling needs the database: set needsDatabase on the service');
  // The fetcher's runtime config is validated against feedEnvSchema at start.
  const resolved = settings ?? feedSettingsFromConfig(runtime.config as unknown as FeedEnv);
  // One budget and one robots.txt cache for every request kind: feeds, sitemaps, robots, pages.
  const limits = new HostLimits(runtime.redis, resolved.hostLimits);
  const deps: PollDependencies = {
    store: new FeedStore(runtime.db),
    queues: runtime.queues,
    limits,
    robots: pollRobotsCache(runtime.redis, resolved, undefined, limits),
    settings: resolved,
  };
  cache.set(runtime.redis, deps);
  return deps;
}
