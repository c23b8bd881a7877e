import { Readable } from 'node:stream';
import {
  type ExportStream,
  exportDocuments,
  exportStories,
  replicaExportHorizon,
  SearchParamError,
} from '@sluice/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteModule } from './index';
import { documentFilterSchema } from './query-filters';

const exportQuerySchema = documentFilterSchema.extend({
  type: z.enum(['documents', 'stories']).default('documents'),
  since: z.string().max(200).optional(),
});

/** The header carrying the watermark to pass as `since` on the next incremental pull. */
export const NEXT_SINCE_HEADER = 'sluice-next-since';

/**
 * NDJSON in chunks of about 64 KB: one socket write per chunk rather than per line. The stream
 * pulls the next chunk (and so the next batch from the store) only when the client has read.
 */
async function* ndjson(lines: AsyncIterable<string>) {
  let chunk = '';
  for await (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * `GET /export` (documents; `?type=stories` for stories) and `GET /export/stories`: NDJSON,
 * streamed from the store batch by batch, with the next watermark in `Sluice-Next-Since`.
 */
export const exportRoutesWith =
  (batching: { batchSize?: number } = {}): RouteModule =>
  (app, { db: primary, reads = primary }) => {
    const serve = (forced: 'stories' | null) => async (request: FastifyRequest, reply: FastifyReply) => {
      const parsed = exportQuerySchema.safeParse(request.query);
      if (!parsed.success) {
        return reply.code(400).send({
          error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
        });
      }
      const { type, ...params } = parsed.data;
      let stream: ExportStream;
      try {
        // From the replica only once it holds every row before the horizon; else the primary.
        const horizon = reads === primary ? null : await replicaExportHorizon(primary, reads);
        const db = horizon ? reads : primary;
        const options = { ...batching, ...(horizon ? { horizon } : {}) };
        if ((forced ?? type) === 'stories') {
          const unsupported = (['lang', 'story', 'includeDuplicates'] as const).filter(
            (key) => params[key] !== undefined,
          );
          if (unsupported.length > 0)
            return reply.code(400).send({ error: `${unsupported.join(', ')} do not apply to stories` });
          stream = await exportStories(db, { ...params, ...options });
        } else {
          stream = await exportDocuments(db, { ...params, ...options });
        }
      } catch (error) {
        if (error instanceof SearchParamError) return reply.code(400).send({ error: error.message });
        throw error;
      }
      reply.header(NEXT_SINCE_HEADER, stream.nextSince);
      reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      reply.header('cache-control', 'no-store');
      return reply.send(Readable.from(ndjson(stream.lines), { objectMode: false, highWaterMark: 64 * 1024 }));
    };
    app.get('/export', serve(null));
    app.get('/export/stories', serve('stories'));
  };

export const exportRoutes = exportRoutesWith();
