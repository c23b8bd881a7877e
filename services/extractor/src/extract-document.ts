import { type ExtractJob, enqueueIndex } from '@sluice/contracts';
import { extractDocument as extractFields } from '@sluice/extract';
import type { JobContext } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';

/** The extract stage: facts from the cleaned document, handed on to the index. */
export async function extractDocument(job: Job<ExtractJob>, context: JobContext) {
  const { documentId, cleaned, url, finalUrl, source, hints, fetchedAt, publishedAt } = job.data;
  const extracted = extractFields({ id: documentId, cleaned, url, finalUrl, source, hints, fetchedAt });
  // A time the submitter states is a fact about the document, not a guess from its page.
  const document = publishedAt
    ? { ...extracted, publishedAt: new Date(publishedAt).toISOString(), publishedAtSource: 'submitted' }
    : extracted;
  await enqueueIndex(context.queues, { documentId, document, enqueuedAt: new Date().toISOString() });
  context.log.debug(
    { title: document.title, lang: document.lang, entities: document.entities.length },
    'extracted',
  );
  return {
    title: document.title ?? null,
    lang: document.lang ?? null,
    publishedAt: document.publishedAt ?? null,
    publishedAtSource: document.publishedAtSource ?? null,
  };
}
