import { DocumentStore, SearchParamError } from '@sluice/store';
import { z } from 'zod';
import type { RouteModule } from './index';
import { documentFilterSchema, flag } from './query-filters';

export const searchQuerySchema = documentFilterSchema.extend({
  onePerStory: flag.optional(),
  facets: flag.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000).optional(),
  cursor: z.string().max(400).optional(),
});

/** `GET /search`: ranked full-text search with filters, facets and cursor pagination. */
export const searchRoutes: RouteModule = (app, { db, reads = db }) => {
  const store = new DocumentStore(reads);
  app.get('/search', async (request, reply) => {
    const parsed = searchQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({
        error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      });
    }
    try {
      return await store.search(parsed.data);
    } catch (error) {
      if (error instanceof SearchParamError) return reply.code(400).send({ error: error.message });
      throw error;
    }
  });
};
