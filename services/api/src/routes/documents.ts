import {
  documentIdForRaw,
  documentIdForUrl,
  enqueueFetch,
  MAX_RAW_BYTES,
  type RawDocument,
} from '@sluice/contracts';
import { DocumentStore } from '@sluice/store';
import { documentStatusFromQueues } from '@sluice/worker-runtime';
import { z } from 'zod';
import { DASHBOARD_PATH } from '../dashboard';
import type { RouteModule } from './index';

/** JSON form of POST /documents: a URL to fetch, or a document given inline. */
const submitSchema = z
  .object({
    url: z.string().url().optional(),
    source: z.string().max(200).optional(),
    html: z.string().optional(),
    text: z.string().optional(),
    /** Raw bytes of unknown charset, base64-encoded. */
    base64: z.string().optional(),
    contentType: z.string().max(200).optional(),
    /** When the document was published, if the submitter knows: wins over dates in the page. */
    publishedAt: z
      .string()
      .datetime({ offset: true, message: 'publishedAt is an ISO 8601 date-time' })
      .optional(),
  })
  .refine(
    (body) => body.url || body.html !== undefined || body.text !== undefined || body.base64 !== undefined,
    {
      message: 'give a url, or the document as html, text or base64',
    },
  );

export const documentRoutes: RouteModule = (app, { queues, db }) => {
  // Raw bodies: POST a page as text/html or text/plain (url and source in the query string).
  app.addContentTypeParser(
    ['text/html', 'text/plain', 'application/xhtml+xml'],
    { parseAs: 'string' },
    (_, body, done) => done(null, body),
  );
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_, body, done) =>
    done(null, body),
  );

  app.post('/documents', async (request, reply) => {
    const query = request.query as { url?: string; source?: string };
    const contentType = request.headers['content-type'] ?? '';
    let input: z.infer<typeof submitSchema>;
    if (contentType.startsWith('application/json')) {
      const parsed = submitSchema.safeParse(request.body);
      if (!parsed.success)
        return reply.code(400).send({ error: parsed.error.issues.map((i) => i.message).join('; ') });
      input = parsed.data;
    } else if (Buffer.isBuffer(request.body)) {
      input = { url: query.url, source: query.source, base64: request.body.toString('base64') };
    } else {
      const mediaType = contentType.split(';')[0]?.trim();
      input = {
        url: query.url,
        source: query.source,
        contentType,
        [mediaType === 'text/plain' ? 'text' : 'html']: request.body,
      };
    }
    const raw = toRawDocument(input);
    if (raw && Buffer.byteLength(raw.body) > MAX_RAW_BYTES * 1.4) {
      return reply.code(413).send({ error: `document is over the ${MAX_RAW_BYTES} byte cap` });
    }
    if (raw && raw.body.length === 0) return reply.code(400).send({ error: 'document body is empty' });
    let id: string;
    try {
      id = raw ? documentIdForRaw(raw, input.url) : documentIdForUrl(input.url as string);
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    await enqueueFetch(queues, {
      documentId: id,
      url: input.url ?? null,
      source: input.source ?? null,
      publishedAt: input.publishedAt ?? null,
      raw,
      enqueuedAt: new Date().toISOString(),
    });
    return reply.code(202).header('location', `/documents/${id}`).send({ id, status: 'queued' });
  });

  app.get('/documents/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a document id is 32 hex digits' });
    const [stored, progress] = await Promise.all([
      new DocumentStore(db).getDocument(id),
      documentStatusFromQueues(queues, id),
    ]);
    if (!stored && progress.status === 'unknown') return reply.code(404).send({ error: `no document ${id}` });
    // The index is the truth once a document is in it; a later failed re-run is shown beside it.
    const status = stored ? 'indexed' : progress.status;
    return {
      id,
      status,
      failedReason: progress.failedReason,
      skippedReason: progress.skippedReason,
      stages: progress.stages,
      attemptsMade: progress.attemptsMade,
      // Each stage's job in Bull Board, for the operator who wants its logs, data or a retry.
      dashboard: Object.fromEntries(
        Object.keys(progress.stages).map((queue) => [
          queue,
          `${DASHBOARD_PATH}/queue/${encodeURIComponent(queue)}/${id}`,
        ]),
      ),
      document: stored,
    };
  });
};

function toRawDocument(input: z.infer<typeof submitSchema>): RawDocument | null {
  if (input.base64 !== undefined)
    return { body: input.base64, encoding: 'base64', contentType: input.contentType ?? null };
  if (input.html !== undefined)
    return { body: input.html, encoding: 'utf8', contentType: input.contentType ?? 'text/html' };
  if (input.text !== undefined)
    return { body: input.text, encoding: 'utf8', contentType: input.contentType ?? 'text/plain' };
  return null;
}
