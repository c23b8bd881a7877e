import {
  DocumentStore,
  getStory,
  listStories,
  storyActivity,
  storyExpiredAt,
  storyQuotes,
} from '@sluice/store';
import type { FastifyInstance } from 'fastify';
import { type ApiContext, readById } from '../../context';
import { detachDocument } from '../../routes/stories';
import { activityChart, spanChart } from '../chart';
import { sourceLanes } from '../source-lanes';
import { formatters, pageContext, renderPage, type WebState } from '../views';
import { refuseUnlessSignedIn, showError } from '../web-auth';

const STORY_ID = /^[0-9a-f]{32}$/;
const PAGE_SIZE = 30;

type Member = NonNullable<Awaited<ReturnType<typeof getStory>>>['timeline'][number];

/** Originals in time order, each with the duplicates that point at it folded underneath. */
export function foldDuplicates(timeline: readonly Member[]) {
  const ids = new Set(timeline.map((member) => member.id));
  const copies = new Map<string, Member[]>();
  for (const member of timeline)
    if (member.duplicateOf && ids.has(member.duplicateOf))
      copies.set(member.duplicateOf, [...(copies.get(member.duplicateOf) ?? []), member]);
  return timeline
    .filter((member) => !member.duplicateOf || !ids.has(member.duplicateOf))
    .map((member) => ({ ...member, duplicates: copies.get(member.id) ?? [] }));
}

/** `/web/stories` (active first, with a chart each) and `/web/stories/:id` (timeline, entities, quotes, merge). */
export function storyPages(app: FastifyInstance, context: ApiContext, state: WebState) {
  const { db, reads = db } = context;
  const store = new DocumentStore(db);

  app.get('/web/stories', async (request, reply) => {
    const page = pageContext(request, state, 'Stories', 'stories');
    const query = request.query as { q?: string; offset?: string };
    const q = typeof query.q === 'string' ? query.q.slice(0, 500) : '';
    const offset = Math.min(Math.max(Number.parseInt(String(query.offset ?? '0'), 10) || 0, 0), 10_000);
    const stories = await listStories(reads, { q, limit: PAGE_SIZE, offset });
    const activity = await storyActivity(
      reads,
      stories.map((story) => story.id),
    );
    return renderPage(reply, 'stories', page, {
      q,
      offset,
      stories: stories.map((story) => ({
        ...story,
        chart: spanChart(
          activity.get(story.id) ?? [story.documentCount],
          Date.parse(story.firstSeenAt),
          Date.parse(story.lastSeenAt),
        ),
      })),
      nextOffset: stories.length === PAGE_SIZE ? offset + PAGE_SIZE : null,
      previousOffset: offset > 0 ? Math.max(offset - PAGE_SIZE, 0) : null,
    });
  });

  app.get('/web/stories/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const page = pageContext(request, state, 'Story', 'stories');
    if (!STORY_ID.test(id))
      return showError(reply, page, 400, 'Not a story id', 'A story id is 32 hex digits.');
    // Right after a merge or a detach here, read the primary: the replica may not have it yet.
    const query = request.query as { merged?: string; detached?: string };
    const from = query.merged || query.detached ? db : reads;
    const story = await readById({ db, reads: from }, (source) => getStory(source, id));
    if (!story) {
      const expiredAt = await storyExpiredAt(from, id);
      if (expiredAt)
        return showError(
          reply,
          page,
          410,
          'Story expired',
          `Story ${id} was removed on ${expiredAt.slice(0, 10)}: its documents passed the retention period.`,
        );
      return showError(reply, page, 404, 'No such story', `There is no story ${id}.`);
    }
    // A merged story's address leads to the story it was folded into.
    if (story.id !== id) return reply.redirect(`/web/stories/${story.id}`, 301);
    const [quotes, others] = await Promise.all([
      storyQuotes(from, story.id),
      page.user ? listStories(from, { limit: 50 }) : Promise.resolve([]),
    ]);
    const bySource = new Map<string, { source: string; count: number; first: string }>();
    for (const member of story.timeline) {
      const source = member.source ?? 'unknown source';
      const entry = bySource.get(source) ?? { source, count: 0, first: member.at };
      entry.count += 1;
      bySource.set(source, entry);
    }
    page.title = story.headline ?? 'Untitled story';
    return renderPage(reply, 'story', page, {
      story,
      chart: activityChart(story.timeline.map((member) => Date.parse(member.at))),
      lanes: sourceLanes(
        story.timeline,
        (member) => member.source || formatters.host(member.url) || 'unknown source',
      ),
      timeline: foldDuplicates(story.timeline),
      sources: [...bySource.values()].sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
      quotes,
      mergeCandidates: others.filter((other) => other.id !== story.id),
      merged: (request.query as { merged?: string }).merged === '1',
      detachedInto: STORY_ID.test(String((request.query as { detached?: string }).detached))
        ? (request.query as { detached: string }).detached
        : null,
    });
  });

  // Fold another story into this one: the same store call as POST /stories/:id/merge.
  app.post('/web/stories/:id/merge', async (request, reply) => {
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    const { id } = request.params as { id: string };
    const from = String((request.body as { from?: unknown } | undefined)?.from ?? '');
    const page = pageContext(request, state, 'Merge', 'stories');
    if (!STORY_ID.test(id) || !STORY_ID.test(from) || from === id)
      return showError(reply, page, 400, 'Cannot merge', 'Pick another story to merge into this one.');
    if (!(await store.mergeStories(id, from)))
      return showError(
        reply,
        page,
        404,
        'Cannot merge',
        'One of the two stories no longer exists or was merged already.',
      );
    return reply.redirect(`/web/stories/${id}?merged=1`, 303);
  });

  // Move one document (and its duplicates) out into a story of its own: as POST /stories/:id/detach.
  app.post('/web/stories/:id/detach', async (request, reply) => {
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    const { id } = request.params as { id: string };
    const document = String((request.body as { document?: unknown } | undefined)?.document ?? '');
    const page = pageContext(request, state, 'Detach', 'stories');
    if (!STORY_ID.test(id) || !STORY_ID.test(document))
      return showError(reply, page, 400, 'Cannot detach', 'Pick a document of this story.');
    const result = await detachDocument(db, id, document);
    if ('error' in result) return showError(reply, page, result.status, 'Cannot detach', result.error);
    return reply.redirect(`/web/stories/${id}?detached=${result.storyId}`, 303);
  });
}
