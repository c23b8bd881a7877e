import { cleanDocument, DocumentRejectedError } from '@sluice/clean';
import {
  enqueueExtract,
  type FetchJob,
  MAX_CLEAN_TEXT_CHARS,
  MAX_RAW_BYTES,
  removeUnstorableCharacters,
  scrubUnstorableText,
} from '@sluice/contracts';
import { createPageFetcher, type PageFetcher } from '@sluice/feeds';
import type { JobContext, RedisClient } from '@sluice/worker-runtime';
import { type Job, UnrecoverableError } from 'bullmq';
import { delayJob, feedDependencies } from './feeds/index';
import { plainTextOf, templateKeyOf, templateMemoryFor } from './template-memory';

interface LoadedDocument {
  body: Uint8Array | string;
  contentType: string | null;
  finalUrl: string | null;
  fetchedAt: string;
}

/**
 * The fetch stage: get the document's bytes (from the job, or politely and safely over HTTP),
 * clean them, and hand the cleaned text and signals to extraction. Raw HTML goes no further.
 */
export async function fetchDocument(job: Job<FetchJob>, context: JobContext) {
  // Run again after its raw body was dropped (a retry after the hand-over): nothing left to do.
  if (job.data.rawCleanedAt) return { alreadyCleaned: job.data.rawCleanedAt };
  let loaded: LoadedDocument;
  if (job.data.raw) {
    loaded = loadRaw(job.data, feedDependencies(context).settings.fetch.maxBytes ?? MAX_RAW_BYTES);
  } else {
    const outcome = await pageFetcherFor(context).fetch(job.data.url as string);
    // Over the host's budget, or the host asked us to wait (429/503): wait without spending an attempt.
    if (outcome.status === 'delayed') {
      if (outcome.reason === 'host-paused')
        context.log.info({ detail: outcome.detail, delayMs: outcome.delayMs }, 'host paused');
      return await delayJob(job, context.token, outcome.delayMs);
    }
    if (outcome.status === 'skipped') {
      context.log.info({ reason: outcome.reason, detail: outcome.detail }, 'skipped');
      return { skipped: outcome.reason, detail: outcome.detail };
    }
    const { page } = outcome;
    loaded = {
      body: page.body,
      contentType: page.contentType,
      finalUrl: page.finalUrl,
      fetchedAt: page.fetchedAt,
    };
  }
  // Plain text carries its site's chrome as lines: what this site repeats in every document is template.
  const site = templateKeyOf(loaded.finalUrl, job.data.source);
  const text = site ? plainTextOf(loaded.body, loaded.contentType) : null;
  const memory = templateMemoryFor(context.redis);
  const template = site && text ? await memory.hintsFor(site, text) : undefined;
  // NUL characters and lone surrogates cannot be stored in the index: they go here, not later.
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
  const source = job.data.source ? removeUnstorableCharacters(job.data.source) : null;
  await enqueueExtract(context.queues, {
    documentId: job.data.documentId,
    url: job.data.url ?? null,
    finalUrl: loaded.finalUrl,
    source,
    cleaned,
    // The feed item's own metadata rides along: extraction weighs it against the page's.
    hints: job.data.hints ?? null,
    fetchedAt: loaded.fetchedAt,
    publishedAt: job.data.publishedAt ?? null,
    enqueuedAt: new Date().toISOString(),
  });
  // The raw page has been handed on as cleaned text: the kept job need not hold it in Redis.
  if (job.data.raw) await job.updateData({ ...job.data, raw: null, rawCleanedAt: new Date().toISOString() });
  context.log.debug({ format: cleaned.format, chars: cleaned.text.length }, 'cleaned');
  return { format: cleaned.format, chars: cleaned.text.length, charset: cleaned.charset ?? null };
}

/** A document the cleaner rejects (empty, binary, too deep...) will never clean: fail it for good. */
function cleanOrReject(input: Parameters<typeof cleanDocument>[0]) {
  try {
    return scrubUnstorableText(cleanDocument(input));
  } catch (error) {
    if (error instanceof DocumentRejectedError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

function loadRaw(job: FetchJob, maxBytes: number): LoadedDocument {
  const raw = job.raw!;
  const body = raw.encoding === 'base64' ? Buffer.from(raw.body, 'base64') : raw.body;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const cap = Math.min(MAX_RAW_BYTES, maxBytes);
  if (size > cap) throw new UnrecoverableError(`document body is ${size} bytes, over the ${cap} byte cap`);
  return {
    body,
    contentType: raw.contentType ?? null,
    finalUrl: job.url ?? null,
    fetchedAt: new Date().toISOString(),
  };
}

/** One page fetcher (robots.txt cache, shared host limits, guarded HTTP) per Redis connection. */
const pageFetchers = new WeakMap<RedisClient, PageFetcher>();

function pageFetcherFor(context: JobContext): PageFetcher {
  let fetcher = pageFetchers.get(context.redis);
  if (!fetcher) {
    const { settings, limits, robots } = feedDependencies(context);
    fetcher = createPageFetcher({
      redis: context.redis,
      policy: settings.fetch,
      userAgent: settings.userAgent,
      contactUrl: settings.contactUrl,
      limits,
      robots,
    });
    pageFetchers.set(context.redis, fetcher);
  }
  return fetcher;
}
