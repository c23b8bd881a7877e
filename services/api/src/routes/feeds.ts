import { feedMigrations, writeOpml } from '@sluice/feeds';
import { runMigrations } from '@sluice/store';
import { z } from 'zod';
import { FeedActions, FeedInputError } from './feed-actions';
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
 * import/export. The work is in FeedActions, which the pages share.
 */
export const feedRoutes: RouteModule = async (app, { db, queues }) => {
  await runMigrations(db, 'feeds', feedMigrations);
  const actions = new FeedActions(db, queues);
  const { store } = actions;

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
    try {
      const { feed, created } = await actions.addFeed(parsed.data);
      return reply
        .code(created ? 201 : 200)
        .header('location', `/feeds/${feed.id}`)
        .send(feed);
    } catch (error) {
      if (error instanceof FeedInputError)
        return reply.code(422).send({ error: error.message, code: error.code });
      throw error;
    }
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
    try {
      return reply.send(await actions.importOpml(request.body));
    } catch (error) {
      if (error instanceof FeedInputError) return reply.code(422).send({ error: error.message });
      throw error;
    }
  });

  // The feed with its recent events (newest first): failures, refusals, robots.txt skips,
  // pauses and disables, so an operator sees why a feed stopped without reading logs.
  app.get('/feeds/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const feed = await store.getFeed(id);
    if (!feed) return reply.code(404).send({ error: 'no such feed' });
    // When the next poll is and why (cadence learnt, <ttl>, Retry-After, back-off), as the fetcher stored it.
    const nextPoll = { at: feed.nextPollAt, reason: feed.nextPollReason };
    return { ...feed, nextPoll, events: await store.listEvents({ feedId: id }) };
  });

  app.delete('/feeds/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await actions.removeFeed(id))) return reply.code(404).send({ error: 'no such feed' });
    return reply.code(204).send();
  });

  app.post('/feeds/:id/refresh', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await actions.refreshFeed(id))) return reply.code(404).send({ error: 'no such feed' });
    return reply.code(202).send({ id, status: 'queued' });
  });

  app.get('/sitemaps', async () => ({ sitemaps: await store.listSitemaps() }));

  app.post('/sitemaps', async (request, reply) => {
    const parsed = addSitemapSchema.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((i) => i.message).join('; ') });
    try {
      const sitemap = await actions.addSitemap(parsed.data.url);
      return reply.code(201).header('location', `/sitemaps/${sitemap.id}`).send(sitemap);
    } catch (error) {
      if (error instanceof FeedInputError) return reply.code(422).send({ error: error.message });
      throw error;
    }
  });

  app.get('/sitemaps/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const sitemap = await store.getSitemap(id);
    if (!sitemap) return reply.code(404).send({ error: 'no such sitemap' });
    return { ...sitemap, events: await store.listEvents({ sitemapId: id }) };
  });

  app.delete('/sitemaps/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await actions.removeSitemap(id))) return reply.code(404).send({ error: 'no such sitemap' });
    return reply.code(204).send();
  });

  app.post('/sitemaps/:id/refresh', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    if (!(await actions.refreshSitemap(id))) return reply.code(404).send({ error: 'no such sitemap' });
    return reply.code(202).send({ id, status: 'queued' });
  });
};
