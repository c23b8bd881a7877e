import type { QueueMap } from '@sluice/contracts';
import {
  commonFeedUrls,
  decodeText,
  discoverFeedLinks,
  enqueueFeedPoll,
  enqueueSitemapPoll,
  type Feed,
  type FeedSettings,
  FeedStore,
  feedSettingsFromEnv,
  parseFeedTextOffLoop,
  readOpml,
  removeFeedSchedule,
  removeSitemapSchedule,
  type Sitemap,
  upsertFeedSchedule,
  upsertSitemapSchedule,
} from '@sluice/feeds';
import { checkUrl, FetchError, fetchPage } from '@sluice/http';
import type { Database } from '@sluice/store';

/** The caller gave a URL Sluice will not or cannot subscribe to (answered 422, shown on the page). */
export class FeedInputError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface AddFeedInput {
  url: string;
  title?: string;
  fullContent?: boolean;
  /** Fetch the URL first and, if it is a web page, subscribe to the feed it advertises. */
  discover?: boolean;
}

/**
 * What can be done to feeds and sitemaps, for the JSON routes and the pages alike. Adding or
 * removing a feed sets its job scheduler here, in the one request that changed it; the
 * fetcher's elected reconciler repairs any drift.
 */
export class FeedActions {
  readonly store: FeedStore;
  readonly settings: FeedSettings;

  constructor(
    db: Database,
    private readonly queues: QueueMap,
  ) {
    this.store = new FeedStore(db);
    this.settings = feedSettingsFromEnv(process.env);
  }

  async addFeed(input: AddFeedInput): Promise<{ feed: Feed; created: boolean }> {
    let url: string;
    try {
      checkUrl(input.url, this.settings.fetch);
      url = input.discover === false ? input.url : await resolveFeedUrl(input.url, this.settings);
    } catch (error) {
      throw new FeedInputError((error as Error).message, (error as { code?: string }).code);
    }
    const result = await this.store.subscribe({ url, title: input.title, fullContent: input.fullContent });
    if (result.created) {
      await upsertFeedSchedule(this.queues, result.feed.id, result.feed.intervalMs);
      await enqueueFeedPoll(this.queues, result.feed.id);
    }
    return result;
  }

  /** Subscribes to every feed an OPML file lists; refused entries are reported, not fatal. */
  async importOpml(text: string) {
    let entries: ReturnType<typeof readOpml>;
    try {
      entries = readOpml(text);
    } catch (error) {
      throw new FeedInputError(`not a usable OPML file: ${(error as Error).message}`);
    }
    let added = 0;
    const refused: { url: string; error: string }[] = [];
    for (const entry of entries) {
      try {
        checkUrl(entry.url, this.settings.fetch);
      } catch (error) {
        refused.push({ url: entry.url, error: (error as Error).message });
        continue;
      }
      const { feed, created } = await this.store.subscribe({ url: entry.url, title: entry.title });
      if (!created) continue;
      await upsertFeedSchedule(this.queues, feed.id, feed.intervalMs);
      await enqueueFeedPoll(this.queues, feed.id, false);
      added++;
    }
    return { found: entries.length, added, refused };
  }

  async removeFeed(id: string): Promise<boolean> {
    if (!(await this.store.removeFeed(id))) return false;
    await removeFeedSchedule(this.queues, id);
    return true;
  }

  /** Polls a feed now; a refresh is also how an operator resumes a paused or disabled feed. */
  async refreshFeed(id: string): Promise<boolean> {
    const feed = await this.store.getFeed(id);
    if (!feed) return false;
    if (feed.status !== 'active') await this.store.setFeedStatus(id, 'active');
    await upsertFeedSchedule(this.queues, id, feed.intervalMs);
    await enqueueFeedPoll(this.queues, id, true);
    return true;
  }

  async addSitemap(url: string): Promise<Sitemap> {
    try {
      checkUrl(url, this.settings.fetch);
    } catch (error) {
      throw new FeedInputError((error as Error).message);
    }
    const sitemap = await this.store.addSitemap(url);
    await upsertSitemapSchedule(this.queues, sitemap.id, sitemap.intervalMs);
    // Schedules are spread over the interval; a new subscription is polled at once.
    await enqueueSitemapPoll(this.queues, sitemap.id);
    return sitemap;
  }

  async removeSitemap(id: string): Promise<boolean> {
    if (!(await this.store.removeSitemap(id))) return false;
    await removeSitemapSchedule(this.queues, id);
    return true;
  }

  async refreshSitemap(id: string): Promise<boolean> {
    if (!(await this.store.getSitemap(id))) return false;
    await enqueueSitemapPoll(this.queues, id, true);
    return true;
  }
}

/**
 * The feed to subscribe to for a URL: the URL itself when it is a feed, else the first feed the
 * page advertises, else the first common feed path that parses. Throws when none is found.
 */
async function resolveFeedUrl(url: string, settings: FeedSettings): Promise<string> {
  const policy = { ...settings.fetch, maxBytes: settings.maxFeedBytes };
  const page = await fetchPage(url, policy);
  const text = decodeText(page.body, page.contentType);
  if (await isFeed(text, page.finalUrl, settings)) return page.permanentRedirect ?? url;
  const candidates = [...discoverFeedLinks(text, page.finalUrl), ...commonFeedUrls(page.finalUrl)].slice(
    0,
    12,
  );
  for (const candidate of candidates) {
    try {
      const found = await fetchPage(candidate, policy);
      if (await isFeed(decodeText(found.body, found.contentType), found.finalUrl, settings)) return candidate;
    } catch (error) {
      if (error instanceof FetchError && error.code.startsWith('blocked-')) continue;
    }
  }
  throw new Error(`no feed found at ${url} (tried ${candidates.length} candidates)`);
}

/** Parsed like the fetcher does: a large candidate parses in a thread, not on the API's loop. */
async function isFeed(text: string, url: string, settings: FeedSettings): Promise<boolean> {
  try {
    await parseFeedTextOffLoop(text, { feedUrl: url, maxItems: 1, offloadChars: settings.parseOffloadChars });
    return true;
  } catch {
    return false;
  }
}
