import { type Database, DocumentStore, getStory, listStories, storyExpiredAt } from '@sluice/store';
import { z } from 'zod';
import { readById } from '../context';
import type { RouteModule } from './index';

const listQuerySchema = z.object({
  q: z.string().max(500).optional(),
  entity: z
    .string()
    .regex(/^\d{1,18}$/, 'entity must be an entity id')
    .optional(),
  since: z
    .string()
    .max(40)
    .refine((value) => {
      const year = new Date(Date.parse(value)).getUTCFullYear();
      return year >= 1900 && year <= 2200;
    }, 'since must be a date or ISO 8601 time between 1900 and 2200')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000).optional(),
});

const detachBodySchema = z.object({
  document: z.string().regex(/^[0-9a-f]{32}$/, 'document must be a document id (32 hex digits)'),
});

const mergeBodySchema = z.object({
  from: z.string().regex(/^[0-9a-f]{32}$/, 'from must be a story id (32 hex digits)'),
});

/**
 * `GET /stories` (recently active, by entity or query), `GET /stories/:id` (timeline, sources,
 * entities, and the repair history: merged from or into, documents detached; a merged id resolves
 * to its survivor; one emptied by retention answers 410), `POST /stories/:id/merge` (fold story `from` into this one) and
 * `POST /stories/:id/detach` (move `document` out into a story of its own). A story's
 * `publishedSpan` comes from its dated documents only; undated ones are counted
 * (`undatedDocuments`) and sit on the timeline at their first-seen time with `dateKnown: false`.
 */
export const storyRoutes: RouteModule = (app, context) => {
  const { db, reads = db } = context;
  app.get('/stories', async (request, reply) => {
    const parsed = listQuerySchema.safeParse(request.query);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    return { stories: await listStories(reads, parsed.data) };
  });

  app.get('/stories/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a story id is 32 hex digits' });
    const story = await readById(context, (from) => getStory(from, id));
    if (story) return story;
    // Emptied by the retention pass (SLUICE_RETENTION_DAYS): gone for good, not unknown.
    const expiredAt = await storyExpiredAt(reads, id);
    if (expiredAt)
      return reply
        .code(410)
        .send({ error: `story ${id} expired: its documents passed the retention period`, expiredAt });
    return reply.code(404).send({ error: `no story ${id}` });
  });

  // Two stories that turn out to be one: `from`'s documents move here and `from` points here.
  app.post('/stories/:id/merge', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a story id is 32 hex digits' });
    const parsed = mergeBodySchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    if (parsed.data.from === id) return reply.code(400).send({ error: 'a story cannot merge into itself' });
    if (!(await new DocumentStore(db).mergeStories(id, parsed.data.from)))
      return reply.code(404).send({ error: `no unmerged stories ${id} and ${parsed.data.from}` });
    return getStory(db, id);
  });

  // A document grouped wrongly: it (and its duplicates) leave for a new story of their own.
  app.post('/stories/:id/detach', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a story id is 32 hex digits' });
    const parsed = detachBodySchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    const result = await detachDocument(db, id, parsed.data.document);
    if ('error' in result) return reply.code(result.status).send({ error: result.error });
    return reply
      .code(201)
      .header('location', `/stories/${result.storyId}`)
      .send(await getStory(db, result.storyId));
  });
};

/** Detaches a document from the story it is in, saying in words why when it cannot. */
export async function detachDocument(
  db: Database,
  storyId: string,
  documentId: string,
): Promise<{ storyId: string } | { status: 404 | 409; error: string }> {
  const store = new DocumentStore(db);
  const document = await store.getDocument(documentId);
  if (!document || document.storyId !== storyId)
    return { status: 404, error: `document ${documentId} is not in story ${storyId}` };
  const detached = await store.detachFromStory(documentId);
  if (!detached)
    return {
      status: 409,
      error: 'only an original that shares its story with another original can be detached',
    };
  return { storyId: detached };
}
