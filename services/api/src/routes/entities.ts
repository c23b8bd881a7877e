import { entityDocuments, findEntities, getEntity } from '@sluice/store';
import { z } from 'zod';
import type { RouteModule } from './index';

const findQuerySchema = z.object({
  q: z.string().max(200).optional(),
  type: z.enum(['person', 'organization', 'place']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** `GET /entities?q=` (people, organisations, places by name) and `GET /entities/:id/documents`. */
export const entityRoutes: RouteModule = (app, { db: primary, reads: db = primary }) => {
  app.get('/entities', async (request, reply) => {
    const parsed = findQuerySchema.safeParse(request.query);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    return { entities: await findEntities(db, parsed.data) };
  });

  app.get('/entities/:id/documents', async (request, reply) => {
    const { id } = request.params as { id: string };
    const parsed = pageQuerySchema.safeParse(request.query);
    if (!parsed.success)
      return reply.code(400).send({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
    const entity = await getEntity(db, id);
    if (!entity) return reply.code(404).send({ error: `no entity ${id}` });
    return { entity, documents: await entityDocuments(db, id, parsed.data) };
  });
};
