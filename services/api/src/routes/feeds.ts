import {
  commonFeedUrls,
  decodeText,
  discoverFeedLinks,
  enqueueFeedPoll,
  enqueueSitemapPoll,
  type FeedSettings,
  FeedStore,
  feedMigrations,
  feedSettingsFromEnv,
  parseFeedTextOffLoop,
  readOpml,
  removeFeedSchedule,
  removeSitemapSchedule,
  upsertFeedSchedule,
  upsertSitemapSchedule,
  writeOpml,
} from '@sluice/feeds';
import { checkUrl, FetchError, fetchPage } from '@sluice/http';
import { runMigrations } from '@sluice/store';
import { z } from 'zod';
import type { RouteModule } from './index';

const addFeedSchema = z.object({
  url: z.string().url(),
  title: z.string().max(500).optional(),
  /** Index items from the content the feed carries instead of fetching their pages. */
  fullContent: z.boolean().optional(),
  /** Fetch the URL first and, if it is a web page, subscribe to the feed it advertises. */
  discover: z.boolean().default(true),
});

const addSitemapSchema = z.object({ url: z.string().url() });
const idParams = z.object({
  id: z.string().min(1, 'give an id').max(100, 'an id is at most 100 characters'),
});

/**
 * Feeds and sitemaps: subscribe, list, inspect (state, last error), remove, refresh, and OPML
 * import/export. Adding or removing a feed sets its job scheduler here, in the one request that
 * changed it; the fetcher's elected reconciler repairs any drift.
 */
export const feedRoutes: RouteModule = async (app, { db, queues }) => {
  await runMigrations(db, 'feeds', feedMigrations);
  const store = new FeedStore(db);
  const settings = feedSettingsFromEnv(process.env);

  app.addContentTypeParser(
    ['application/xml', 'text/xml', 'text/x-opml', 'application/x-opml+xml'],
    { parseAs: 'string' },
    (_, body, done) => done(null, body),
  );

  app.get('/feeds', async () => ({ feeds: await store.listFeeds() }));

  app.post('/feeds', async (request, reply) => {
    const parsed = addFeedSchema.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((i) => i.message).join('; ') });
    const input = parsed.data;
    let url: string;
    try {
      checkUrl(input.url, settings.fetch);
      url = input.discover ? await resolveFeedUrl(input.url, settings) : input.url;
    } catch (error) {
      return reply
        .code(422)
        .send({ error: (error as Error).message, code: (error as { code?: string }).code });
    }
    const { feed, created } = await store.subscribe({
      url,
      title: input.title,
      fullContent: input.fullContent,
    });
    if (created) {
      await upsertFeedSchedule(queues, feed.id, feed.intervalMs);
      await enqueueFeedPoll(queues, feed.id);
    }
    return reply
      .code(created ? 201 : 200)
      .header('location', `/feeds/${feed.id}`)
      .send(feed);
  });

  app.get('/feeds/export.opml', async (_, reply) => {
    const feeds = await store.listFeeds();
    return reply
      .type('text/x-opml; charset=utf-8')
      .send(writeOpml(feeds.map((feed) => ({ url: feed.url, title: feed.title, siteUrl: feed.siteUrl }))));
  });

  app.post('/feeds/import', async (request, reply) => {
    if (typeof request.body !== 'string')
      return reply.code(415).send({ error: 'send the OPML file as text/xml' });
    let entries: ReturnType<typeof readOpml>;
    try {
      entries = readOpml(request.body);
    } catch (error) {
      return reply.code(422).send({ error: `not a usable OPML file: ${(error as Error).message}` });
    }
    let added = 0;
    const refused: { url: string; error: string }[] = [];
    for (const entry of entries) {
      try {
        checkUrl(entry.url, settings.fetch);
      } catch (error) {
        refused.push({ url: entry.url, error: (error as Error).message });
        continue;
      }
      const { feed, created } = await store.subscribe({ url: entry.url, title: entry.title });
      if (!created) continue;
      await upsertFeedSchedule(queues, feed.id, feed.intervalMs);
      await enqueueFeedPoll(queues, feed.id, false);
      added++;
    }
    return reply.send({ found: entries.length, added, refused });
  });

  // The feed with its recent events (newest first): failures, refusals, robots.txt skips,
  // pauses and disables, so an operator sees why a feed stopped without reading logs.
  app.get('/feeds/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const feed = await store.getFeed(id);
    if (!feed) return reply.code(404).send({ error: 'no such feed' });
    return { ...feed, events: await store.listEvents({ feedId: id }) };
  });

  app.delete('/feeds/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await store.removeFeed(id))) return reply.code(404).send({ error: 'no such feed' });
    await removeFeedSchedule(queues, id);
    return reply.code(204).send();
  });

  app.post('/feeds/:id/refresh', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const feed = await store.getFeed(id);
    if (!feed) return reply.code(404).send({ error: 'no such feed' });
    // A refresh is how an operator resumes a paused or disabled feed.
    if (feed.status !== 'active') await store.setFeedStatus(id, 'active');
    await upsertFeedSchedule(queues, id, feed.intervalMs);
    await enqueueFeedPoll(queues, id, true);
    return reply.code(202).send({ id, status: 'queued' });
  });

  app.get('/sitemaps', async () => ({ sitemaps: await store.listSitemaps() }));

  app.post('/sitemaps', async (request, reply) => {
    const parsed = addSitemapSchema.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((i) => i.message).join('; ') });
    try {
      checkUrl(parsed.data.url, settings.fetch);
    } catch (error) {
      return reply.code(422).send({ error: (error as Error).message });
    }
    const sitemap = await store.addSitemap(parsed.data.url);
    await upsertSitemapSchedule(queues, sitemap.id, sitemap.intervalMs);
    // Schedules are spread over the interval; a new subscription is polled at once.
    await enqueueSitemapPoll(queues, sitemap.id);
    return reply.code(201).header('location', `/sitemaps/${sitemap.id}`).send(sitemap);
  });

  app.get('/sitemaps/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const sitemap = await store.getSitemap(id);
    if (!sitemap) return reply.code(404).send({ error: 'no such sitemap' });
    return { ...sitemap, events: await store.listEvents({ sitemapId: id }) };
  });

  app.delete('/sitemaps/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await store.removeSitemap(id))) return reply.code(404).send({ error: 'no such sitemap' });
    await removeSitemapSchedule(queues, id);
    return reply.code(204).send();
  });

  app.post('/sitemaps/:id/refresh', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await store.getSitemap(id))) return reply.code(404).send({ error: 'no such sitemap' });
    await enqueueSitemapPoll(queues, id, true);
    return reply.code(202).send({ id, status: 'queued' });
  });
};

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
