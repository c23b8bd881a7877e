import { redriveDocument } from '@sluice/contracts';
import { DocumentStore, getStory } from '@sluice/store';
import { documentStatusFromQueues } from '@sluice/worker-runtime';
import type { FastifyInstance } from 'fastify';
import { type ApiContext, readById } from '../../context';
import { DASHBOARD_PATH } from '../../dashboard';

import { markEntities } from '../mark-entities';
import { pageContext, renderPage, type WebState } from '../views';
import { refuseUnlessSignedIn, showError } from '../web-auth';

const DOCUMENT_ID = /^[0-9a-f]{32}$/;

/** `/web/documents/:id`: the cleaned text with its entities, metadata, copies and pipeline status. */
export function documentPage(app: FastifyInstance, context: ApiContext, state: WebState) {
  const { queues, db, reads = db } = context;
  const store = new DocumentStore(reads);
  app.get('/web/documents/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const page = pageContext(request, state, 'Document', 'document');
    if (!DOCUMENT_ID.test(id))
      return showError(reply, page, 400, 'Not a document id', 'A document id is 32 hex digits.');
    const [document, progress] = await Promise.all([
      readById(context, (from) => new DocumentStore(from).getDocument(id)),
      documentStatusFromQueues(queues, id),
    ]);
    if (!document && progress.status === 'unknown')
      return showError(reply, page, 404, 'No such document', `There is no document ${id}.`);
    const [story, original] = await Promise.all([
      document?.storyId ? readById(context, (from) => getStory(from, document.storyId!)) : null,
      document?.duplicateOf ? store.getDocument(document.duplicateOf) : null,
    ]);
    const titles = new Map(story?.timeline.map((member) => [member.id, member.title]) ?? []);
    page.title = document?.title || `Document ${id}`;
    return renderPage(reply, 'document', page, {
      id,
      document,
      paragraphs: document ? markEntities(document.text, document.entities) : [],
      story,
      original,
      duplicates: (document?.duplicates ?? []).map((duplicate) => ({
        id: duplicate,
        title: titles.get(duplicate),
      })),
      status: document ? 'indexed' : progress.status,
      progress,
      jobs: Object.entries(progress.stages).map(([queue, jobState]) => ({
        queue,
        state: jobState,
        href: `${DASHBOARD_PATH}/queue/${encodeURIComponent(queue)}/${id}`,
      })),
      failed: progress.status === 'failed',
    });
  });

  app.post('/web/documents/:id/retry', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (refuseUnlessSignedIn(request, reply, state)) return reply;
    if (!DOCUMENT_ID.test(id)) return reply.code(400).send('not a document id');
    await redriveDocument(queues, id);
    return reply.redirect(`/web/documents/${id}`, 303);
  });
}
