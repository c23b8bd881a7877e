import { readFile } from 'node:fs/promises';
import {
  enqueueFeedPoll,
  feedMigrations,
  readOpml,
  reconcileSchedulesAsLeader,
  upsertFeedSchedule,
} from '@sluice/feeds';
import { runMigrations } from '@sluice/store';
import type { Runtime } from '@sluice/worker-runtime';
import { feedDependencies } from './feed-dependencies';

const RECONCILE_EVERY_MS = 10 * 60_000;

/**
 * The feed side of the fetcher's start (the service's `onStart`): migrations, the OPML file
 * named in SLUICE_FEEDS_OPML, then schedule reconciliation by one elected copy, repeated every
 * ten minutes. Returns a function that stops the periodic reconciliation.
 */
export async function syncFeedSchedules(runtime: Runtime): Promise<() => void> {
  if (!runtime.db) throw new Error('feed scheduling needs the database');
  await runMigrations(runtime.db, 'feeds', feedMigrations);
  const deps = feedDependencies(runtime);
  if (deps.settings.opmlFile) await importOpmlFile(runtime, deps.settings.opmlFile);
  const reconcile = async () => {
    try {
      const result = await reconcileSchedulesAsLeader(deps.store, deps.queues, runtime.redis);
      if (result.leader) runtime.logger.info(result, 'feed schedules reconciled');
    } catch (error) {
      runtime.logger.warn({ err: error }, 'feed schedule reconciliation failed');
    }
  };
  await reconcile();
  const timer = setInterval(reconcile, RECONCILE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Subscribes to every feed in an OPML file; feeds already subscribed are left as they are. */
export async function importOpmlFile(runtime: Runtime, path: string): Promise<number> {
  const deps = feedDependencies(runtime);
  const feeds = readOpml(await readFile(path, 'utf8'));
  let added = 0;
  for (const entry of feeds) {
    const { feed, created } = await deps.store.subscribe({ url: entry.url, title: entry.title });
    if (created) {
      await upsertFeedSchedule(deps.queues, feed.id, feed.intervalMs);
      await enqueueFeedPoll(deps.queues, feed.id, false);
      added++;
    }
  }
  runtime.logger.info({ path, feeds: feeds.length, added }, 'OPML subscriptions imported');
  return added;
}
