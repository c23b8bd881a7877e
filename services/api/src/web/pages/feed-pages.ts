import type { Feed, Sitemap } from '@sluice/feeds';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../../context';
import { FeedActions, FeedInputError } from '../../routes/feed-actions';
import { pageContext, renderPage, type WebState } from '../views';
import { refuseUnlessSignedIn } from '../web-auth';

const OPML_MAX_BYTES = 2 * 1024 * 1024;

/** Items a feed has brought per day since it was added (at least a day's worth of time). */
export function itemsPerDay(feed: Pick<Feed, 'itemsSeen' | 'createdAt'>, now = Date.now()): number {
  const days = Math.max((now - Date.parse(feed.createdAt)) / 86_400_000, 1);
  return Math.round((feed.itemsSeen / days) * 10) / 10;
}

/** `/web/feeds`: feeds and sitemaps with their health, and the forms that change them. */
export function feedPages(app: FastifyInstance, { db, queues }: ApiContext, state: WebState) {
  const actions = new FeedActions(db, queues);

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string; notice?: string } = {},
    status = 200,
  ) => {
    const page = pageContext(request, state, 'Feeds and sitemaps', 'feeds');
    const [feeds, sitemaps] = await Promise.all([actions.store.listFeeds(), actions.store.listSitemaps()]);
    const query = request.query as { notice?: string };
    return renderPage(
      reply,
      'feeds',
      page,
      {
        feeds: feeds.map((feed: Feed) => ({ ...feed, perDay: itemsPerDay(feed) })),
        sitemaps: sitemaps as Sitemap[],
        notice: extra.notice ?? (typeof query.notice === 'string' ? query.notice.slice(0, 200) : null),
        error: extra.error ?? null,
      },
      status,
    );
  };
  const done = (reply: FastifyReply, notice: string) =>
    reply.redirect(`/web/feeds?notice=${encodeURIComponent(notice)}`, 303);
  const form = (request: FastifyRequest) => (request.body ?? {}) as Record<string, string | undefined>;

  app.get('/web/feeds', (request, reply) => show(request, reply));

  app.post('/web/feeds', async (request, reply) => {
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    const { url, discover, fullContent } = form(request);
    if (!url || !URL.canParse(url))
      return show(request, reply, { error: 'Give the address of a feed or of a site.' }, 400);
    try {
      const { feed, created } = await actions.addFeed({
        url,
        discover: discover === 'on',
        fullContent: fullContent === 'on',
      });
      return done(
        reply,
        created
          ? `Subscribed to ${feed.url}; its first poll is queued.`
          : `Already subscribed to ${feed.url}.`,
      );
    } catch (error) {
      if (error instanceof FeedInputError)
        return show(request, reply, { error: `Could not add ${url}: ${error.message}` }, 422);
      throw error;
    }
  });

  app.post('/web/sitemaps', async (request, reply) => {
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    const { url } = form(request);
    if (!url || !URL.canParse(url))
      return show(request, reply, { error: 'Give the address of a sitemap.' }, 400);
    try {
      const sitemap = await actions.addSitemap(url);
      return done(reply, `Added sitemap ${sitemap.url}; its first poll is queued.`);
    } catch (error) {
      if (error instanceof FeedInputError)
        return show(request, reply, { error: `Could not add ${url}: ${error.message}` }, 422);
      throw error;
    }
  });

  app.post('/web/feeds/import', async (request, reply) => {
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    if (!request.isMultipart()) return show(request, reply, { error: 'Choose an OPML file to import.' }, 400);
    const file = await request.file({ limits: { fileSize: OPML_MAX_BYTES, files: 1 } });
    const text = file ? (await file.toBuffer()).toString('utf8') : '';
    if (!text.trim()) return show(request, reply, { error: 'Choose an OPML file to import.' }, 400);
    try {
      const result = await actions.importOpml(text);
      const refused = result.refused.length
        ? `; refused ${result.refused.map((entry) => `${entry.url} (${entry.error})`).join(', ')}`
        : '';
      return done(reply, `The file lists ${result.found} feeds; ${result.added} added${refused}.`);
    } catch (error) {
      if (error instanceof FeedInputError) return show(request, reply, { error: error.message }, 422);
      throw error;
    }
  });

  for (const [kind, remove, refresh] of [
    ['feeds', actions.removeFeed.bind(actions), actions.refreshFeed.bind(actions)],
    ['sitemaps', actions.removeSitemap.bind(actions), actions.refreshSitemap.bind(actions)],
  ] as const) {
    app.post(`/web/${kind}/:id/refresh`, async (request, reply) => {
      if (refuseUnlessSignedIn(request, reply, state)) return reply;
      const { id } = request.params as { id: string };
      if (!(await refresh(id))) return show(request, reply, { error: 'It was removed meanwhile.' }, 404);
      return done(reply, 'Poll queued.');
    });
    app.post(`/web/${kind}/:id/remove`, async (request, reply) => {
      if (refuseUnlessSignedIn(request, reply, state)) return reply;
      const { id } = request.params as { id: string };
      if (!(await remove(id))) return show(request, reply, { error: 'It was removed already.' }, 404);
      return done(reply, 'Removed.');
    });
  }
}
