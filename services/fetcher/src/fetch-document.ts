import { cleanDocument, DocumentRejectedError } from '@sluice/clean';
import { enqueueExtract, type FetchJob, MAX_CLEAN_TEXT_CHARS, MAX_RAW_BYTES } from '@sluice/contracts';
import { fetchPage } from '@sluice/http';
import type { JobContext } from '@sluice/worker-runtime';
import { type Job, UnrecoverableError } from 'bullmq';
import type { FetcherConfig } from './config';
import { plainTextOf, templateKeyOf, templateMemoryFor } from './template-memory';

interface LoadedDocument {
  body: Uint8Array | string;
  contentType: string | null;
  finalUrl: string | null;
  fetchedAt: string;
}

/**
 * The fetch stage: get the document's bytes (from the job or over HTTP), clean them, and hand
 * the cleaned text and signals to extraction. Raw HTML goes no further than this function.
 */
export async function fetchDocument(job: Job<FetchJob>, context: JobContext) {
  const config = context.config as FetcherConfig;
  const loaded = await loadDocument(job.data, config);
  // Plain text carries its site's chrome as lines: what this site repeats in every document is template.
  const site = templateKeyOf(loaded.finalUrl, job.data.source);
  const text = site ? plainTextOf(loaded.body, loaded.contentType) : null;
  const memory = templateMemoryFor(context.redis);
  const template = site && text ? await memory.hintsFor(site, text) : undefined;
  const cleaned = cleanOrReject({
    body: loaded.body,
    contentType: loaded.contentType,
    url: loaded.finalUrl,
    template,
  });
  if (site && text) await memory.learn(site, text);
  if (cleaned.text.length > MAX_CLEAN_TEXT_CHARS) {
    throw new UnrecoverableError(
      `cleaned text is ${cleaned.text.length} characters, over the ${MAX_CLEAN_TEXT_CHARS} limit`,
    );
  }
  await enqueueExtract(context.queues, {
    documentId: job.data.documentId,
    url: job.data.url ?? null,
    finalUrl: loaded.finalUrl,
    source: job.data.source ?? null,
    cleaned,
    fetchedAt: loaded.fetchedAt,
    enqueuedAt: new Date().toISOString(),
  });
  context.log.info({ format: cleaned.format, chars: cleaned.text.length }, 'cleaned');
  return { format: cleaned.format, chars: cleaned.text.length, charset: cleaned.charset ?? null };
}

/** A document the cleaner rejects (empty, binary, too deep...) will never clean: fail it for good. */
function cleanOrReject(input: Parameters<typeof cleanDocument>[0]) {
  try {
    return cleanDocument(input);
  } catch (error) {
    if (error instanceof DocumentRejectedError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

async function loadDocument(job: FetchJob, config: FetcherConfig): Promise<LoadedDocument> {
  if (job.raw) {
    const body = job.raw.encoding === 'base64' ? Buffer.from(job.raw.body, 'base64') : job.raw.body;
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (size > Math.min(MAX_RAW_BYTES, config.FETCH_MAX_BYTES)) {
      throw new UnrecoverableError(
        `document body is ${size} bytes, over the ${config.FETCH_MAX_BYTES} byte cap`,
      );
    }
    return {
      body,
      contentType: job.raw.contentType ?? null,
      finalUrl: job.url ?? null,
      fetchedAt: new Date().toISOString(),
    };
  }
  const page = await fetchPage(job.url as string, {
    timeoutMs: config.FETCH_TIMEOUT_MS,
    maxBytes: config.FETCH_MAX_BYTES,
    userAgent: config.SLUICE_USER_AGENT,
    allowPrivateHosts: config.FETCH_ALLOW_PRIVATE,
  });
  return {
    body: page.body,
    contentType: page.contentType,
    finalUrl: page.finalUrl,
    fetchedAt: page.fetchedAt,
  };
}
