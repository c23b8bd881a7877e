import { documentStatusFromQueues } from '@sluice/worker-runtime';
import { z } from 'zod';
import type { RouteModule } from './index';

/** Ids per request: a client following a large batch asks in slices. */
export const MAX_STATUS_IDS = 500;

const statusRequestSchema = z.object({
  ids: z
    .array(z.string().regex(/^[0-9a-f]{32}$/, 'a document id is 32 hex digits'))
    .min(1)
    .max(MAX_STATUS_IDS, `at most ${MAX_STATUS_IDS} ids per request`),
});

/**
 * POST /documents/status {ids}: where each document is, for clients following a batch they
 * submitted (`sluice ingest`). The pipeline's own record decides while it has one; a document
 * it no longer tracks is indexed if the index holds it.
 */
export const documentStatusRoutes: RouteModule = (app, { queues, db }) => {
  app.post('/documents/status', async (request, reply) => {
    const parsed = statusRequestSchema.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    const ids = [...new Set(parsed.data.ids)];
    const [progress, stored] = await Promise.all([
      Promise.all(ids.map((id) => documentStatusFromQueues(queues, id))),
      db.query<{ id: string; title: string | null }>('SELECT id, title FROM documents WHERE id = ANY($1)', [
        ids,
      ]),
    ]);
    const titles = new Map(stored.rows.map((row) => [row.id, row.title]));
    return {
      documents: progress.map((entry) => {
        const status = entry.status === 'unknown' && titles.has(entry.id) ? 'indexed' : entry.status;
        return {
          id: entry.id,
          status,
          title: titles.get(entry.id) ?? null,
          reason: entry.failedReason ?? entry.skippedReason ?? null,
        };
      }),
    };
  });
};
