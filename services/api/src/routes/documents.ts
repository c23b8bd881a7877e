import {
  documentIdForRaw,
  documentIdForUrl,
  type FetchJob,
  MAX_RAW_BYTES,
  type RawDocument,
  submitDocument,
} from '@sluice/contracts';
import { DocumentStore } from '@sluice/store';
import { documentStatusFromQueues } from '@sluice/worker-runtime';
import { z } from 'zod';
import { refuseWhenBacklogged } from '../backpressure';
import { readById } from '../context';
import { DASHBOARD_PATH } from '../dashboard';
import { toStorableText } from '../input/well-formed';
import { documentRedriveRoutes } from './documents-redrive';
import type { RouteModule } from './index';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const urlField = z.string().max(4_000, 'url is at most 4000 characters').url();
const sourceField = z.string().max(200, 'source is at most 200 characters');

/** JSON form of POST /documents: a URL to fetch, or a document given inline. */
const submitSchema = z
  .object({
    url: urlField.optional(),
    source: sourceField.optional(),
    html: z.string().optional(),
    text: z.string().optional(),
    /** Raw bytes of unknown charset, base64-encoded. */
    base64: z.string().optional(),
    contentType: z.string().max(200).optional(),
    /** Run the document again even if it was processed already. */
    force: z.boolean().optional(),
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

/** Query string of a raw-body POST /documents. */
const rawQuerySchema = z.object({
  url: urlField.optional(),
  source: sourceField.optional(),
  force: flag.optional(),
});

type SubmitInput = z.infer<typeof submitSchema>;

const issues = (error: z.ZodError) => error.issues.map((issue) => issue.message).join('; ');

export const documentRoutes: RouteModule = async (app, context) => {
  const { queues } = context;
  // Raw bodies: POST a page as text/html or text/plain (url and source in the query string).
  app.addContentTypeParser(
    ['text/html', 'text/plain', 'application/xhtml+xml'],
    { parseAs: 'string' },
    (_, body, done) => done(null, body),
  );
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_, body, done) =>
    done(null, body),
  );

  app.post('/documents', { config: { contentFields: ['html', 'text'] } }, async (request, reply) => {
    const input = readSubmission(request.headers['content-type'] ?? '', request.query, request.body);
    if (typeof input === 'string') return reply.code(400).send({ error: input });
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
    if (await refuseWhenBacklogged(context, reply)) return reply;
    const payload: FetchJob = {
      documentId: id,
      url: input.url ?? null,
      source: input.source ?? null,
      publishedAt: input.publishedAt ?? null,
      raw,
      enqueuedAt: new Date().toISOString(),
    };
    const run = await submitDocument(queues, payload, { force: input.force });
    if (run.outcome === 'in-progress' && input.force) {
      return reply.code(409).send({ error: `document ${id} is still being processed (${run.stage} stage)` });
    }
    return reply
      .code(202)
      .header('location', `/documents/${id}`)
      .send({ id, status: run.outcome === 'done' ? 'done' : 'queued', rerun: run.outcome === 'requeued' });
  });

  app.get('/documents/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f]{32}$/.test(id)) return reply.code(400).send({ error: 'a document id is 32 hex digits' });
    const [stored, progress] = await Promise.all([
      readById(context, (from) => new DocumentStore(from).getDocument(id)),
      documentStatusFromQueues(queues, id),
    ]);
    if (!stored && progress.status === 'unknown') return reply.code(404).send({ error: `no document ${id}` });
    // The index is the truth once a document is in it; a later failed re-run is shown beside it.
    // Indexed by the pipeline but no longer in the index: the retention pass removed it.
    const status = stored ? 'indexed' : progress.status === 'indexed' ? 'removed' : progress.status;
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

  await documentRedriveRoutes(app, context);
};

/** The submission from a JSON body or a raw body with its query string, or why it is refused. */
function readSubmission(contentType: string, query: unknown, body: unknown): SubmitInput | string {
  if (contentType.startsWith('application/json')) {
    const parsed = submitSchema.safeParse(body);
    if (!parsed.success) return issues(parsed.error);
    return parsed.data;
  }
  const parsedQuery = rawQuerySchema.safeParse(query ?? {});
  if (!parsedQuery.success) return issues(parsedQuery.error);
  const { url, source, force } = parsedQuery.data;
  if (Buffer.isBuffer(body)) return { url, source, force, base64: body.toString('base64') };
  if (typeof body !== 'string') return 'send JSON, or the document as text/html, text/plain or bytes';
  const mediaType = contentType.split(';')[0]?.trim();
  return { url, source, force, contentType, [mediaType === 'text/plain' ? 'text' : 'html']: body };
}

/** Document content as given, with NUL bytes and unpaired surrogates made storable. */
function toRawDocument(input: SubmitInput): RawDocument | null {
  if (input.base64 !== undefined)
    return { body: input.base64, encoding: 'base64', contentType: input.contentType ?? null };
  if (input.html !== undefined)
    return {
      body: toStorableText(input.html),
      encoding: 'utf8',
      contentType: input.contentType ?? 'text/html',
    };
  if (input.text !== undefined)
    return {
      body: toStorableText(input.text),
      encoding: 'utf8',
      contentType: input.contentType ?? 'text/plain',
    };
  return null;
}
