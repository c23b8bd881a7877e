import type { QueueMap } from '@sluice/contracts';
import {
  type DemoFeedServer,
  enqueueFeedPoll,
  FeedStore,
  startDemoFeedServer,
  upsertFeedSchedule,
} from '@sluice/feeds';
import type { Database } from '@sluice/store';
import { renderSampleHtml, SAMPLE_ARTICLES } from './samples/index';

export const DEMO_FEED_TITLE = 'Sluice demo feed';
/** A fixed port keeps the demo pages' URLs (and so their document ids) the same across restarts. */
const DEFAULT_DEMO_PORT = 3999;

/** Serves the shipped sample articles as an RSS feed on loopback. */
export async function startDemoFeed(port = DEFAULT_DEMO_PORT): Promise<DemoFeedServer> {
  const articles = SAMPLE_ARTICLES.map((article) => ({
    slug: article.slug,
    headline: article.headline,
    publishedAt: article.publishedAt,
    summary: article.paragraphs[0],
    renderHtml: (url: string) => renderSampleHtml(article, { url }),
  }));
  try {
    return await startDemoFeedServer(articles, { port });
  } catch {
    return startDemoFeedServer(articles, { port: 0 }); // the fixed port is taken: any will do
  }
}

/**
 * The guarded fetcher refuses loopback: let it reach the demo server's address on its port only
 * (an allowlist entry with a port; 127.0.0.1:80 and :443 stay refused). Must run before the
 * configuration is read.
 */
export function allowDemoFeed(demo: DemoFeedServer, env = process.env) {
  const append = (name: string, value: string) => {
    const entries = (env[name] ?? '').split(',').filter(Boolean);
    if (!entries.includes(value)) env[name] = [...entries, value].join(',');
  };
  append('FETCH_ALLOW_PRIVATE', `${demo.allowHost}:${demo.port}`);
  append('FETCH_ALLOWED_PORTS', String(demo.port));
}

export type DemoFeedSetting = 'auto' | 'on' | 'off';

/**
 * Whether this start serves the demo feed: `on` always; `off` never; `auto` (the default)
 * when the demo feed is what will be polled: a demo subscription from an earlier run, or no
 * feeds at all and no OPML file to import. The server binds a loopback port, so it runs only
 * when something will read it.
 */
export function demoFeedWanted(options: {
  setting: DemoFeedSetting;
  opmlFile: string | undefined;
  feedTitles: (string | null)[];
}): boolean {
  if (options.setting !== 'auto') return options.setting === 'on';
  if (options.feedTitles.includes(DEMO_FEED_TITLE)) return true;
  return options.feedTitles.length === 0 && !options.opmlFile;
}

/**
 * With no feeds configured, subscribe to the demo feed so a newcomer sees the whole path:
 * feed, fetch, clean, extract, index. A demo feed from an earlier run is pointed at this run's server.
 */
export async function subscribeDemoFeedIfNoFeeds(db: Database, queues: QueueMap, demo: DemoFeedServer) {
  const store = new FeedStore(db);
  const feeds = await store.listFeeds();
  if (feeds.length === 0) {
    const feed = await store.addFeed({ url: demo.feedUrl, title: DEMO_FEED_TITLE });
    await upsertFeedSchedule(queues, feed.id, feed.intervalMs);
    await enqueueFeedPoll(queues, feed.id, true);
    return { subscribed: true };
  }
  for (const feed of feeds) {
    if (feed.title === DEMO_FEED_TITLE && feed.url !== demo.feedUrl)
      await store.updateFeedUrl(feed.id, demo.feedUrl);
  }
  return { subscribed: false };
}
