import { listFailedDocuments, redriveDocument } from '@sluice/contracts';
import { z } from 'zod';
import { refuseWhenBacklogged } from '../backpressure';
import type { ApiContext } from '../context';
import type { RouteModule } from './index';

const retryBodySchema = z.object({ force: z.boolean().optional() }).strict();

const retryFailedSchema = z
  .object({
    /** Only documents that failed at or after this time. */
    since: z
      .string()
      .max(40)
      .refine((value) => !Number.isNaN(Date.parse(value)), 'since must be an ISO 8601 time')
      .optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/**
 * `POST /documents/:id/retry` runs one document again from the stage where it failed (with
 * `force`, from the start even though it did not fail); `POST /documents/retry-failed` does so
 * for every failed document, or those failed since a time.
 */
export const documentRedriveRoutes: RouteModule = (app, context: ApiContext) => {
  const { queues } = context;

  app.post('/documents/:id/retry', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a document id is 32 hex digits' });
    const body = retryBodySchema.safeParse(request.body ?? {});
    if (!body.success)
      return reply.code(400).send({ error: body.error.issues.map((i) => i.message).join('; ') });
    const run = await redriveDocument(queues, id, { force: body.data.force });
    switch (run.outcome) {
      case 'requeued':
        return reply
          .code(202)
          .header('location', `/documents/${id}`)
          .send({ id, status: 'queued', stage: run.stage });
      case 'in-progress':
        return reply
          .code(409)
          .send({ error: `document ${id} is still being processed (${run.stage} stage)` });
      case 'not-failed':
        return reply.code(409).send({ error: `document ${id} did not fail; pass force to run it again` });
      default:
        return reply
          .code(404)
          .send({ error: `no job of document ${id} is left to retry; submit it again with POST /documents` });
    }
  });

  app.post('/documents/retry-failed', async (request, reply) => {
    const parsed = retryFailedSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((i) => i.message).join('; ') });
    if (await refuseWhenBacklogged(context, reply)) return reply;
    const since = parsed.data.since ? new Date(parsed.data.since) : undefined;
    const failed = await listFailedDocuments(queues, { since, limit: parsed.data.limit ?? 1_000 });
    const requeued: string[] = [];
    const notRequeued: { id: string; reason: string }[] = [];
    for (const document of failed) {
      const run = await redriveDocument(queues, document.id);
      if (run.outcome === 'requeued') requeued.push(document.id);
      else notRequeued.push({ id: document.id, reason: run.outcome });
    }
    return reply.code(202).send({ found: failed.length, requeued, notRequeued });
  });
};
