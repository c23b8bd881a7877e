import { z } from 'zod';
import { CleanedDocumentSchema, ExtractedDocumentSchema } from './documents';
import { QueueName } from './queues';
import { DeliverWebhookJobSchema } from './webhooks';

/** Largest raw document accepted into the fetch queue (bytes of the body as sent). */
export const MAX_RAW_BYTES = 5 * 1024 * 1024;
/** Largest cleaned text handed past the fetcher; keeps payloads small in Redis. */
export const MAX_CLEAN_TEXT_CHARS = 512 * 1024;

const documentId = z.string().regex(/^[0-9a-f]{32}$/, 'document id must be 32 hex digits');

/** A raw document given to Sluice directly (API, CLI, feed item with full content). */
export const RawDocumentSchema = z.object({
  /** The body. Text as-is, or base64 when `encoding` says so (bytes of unknown charset). */
  body: z.string().min(1, 'document body is empty'),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
  /** `text/html`, `text/plain`...; sniffed from the body when absent. */
  contentType: z.string().nullish(),
});
export type RawDocument = z.infer<typeof RawDocumentSchema>;

/**
 * What a feed item says about its document (small data): the page's own evidence comes first;
 * extraction falls back to these when the page has none, or contradicts itself.
 */
export const FeedHintsSchema = z.object({
  /** RSS `pubDate`, Atom `published`, JSON Feed `date_published` (ISO 8601). */
  publishedAt: z.string().max(40).nullish(),
  /** Atom `updated`, JSON Feed `date_modified` (ISO 8601). */
  updatedAt: z.string().max(40).nullish(),
  title: z.string().max(500).nullish(),
  author: z.string().max(200).nullish(),
  categories: z.array(z.string().max(100)).max(20).default([]),
  /** The language the feed declares (`en-gb`): says how the page writes `07/02/2010`. */
  lang: z.string().max(35).nullish(),
});
export type FeedHints = z.infer<typeof FeedHintsSchema>;

export const FetchJobSchema = z
  .object({
    documentId,
    /** Page to fetch, or the document's original address when `raw` is given. */
    url: z.string().url().nullish(),
    source: z.string().max(200).nullish(),
    raw: RawDocumentSchema.nullish(),
    /**
     * Set by the fetcher once a raw document is cleaned and handed on; the raw body is then
     * dropped from the job, so kept jobs do not hold whole pages in Redis.
     */
    rawCleanedAt: z.string().datetime().nullish(),
    /** The feed item's own metadata, when the document came from a feed. */
    hints: FeedHintsSchema.nullish(),
    /** The publication time the submitter states (API, `sluice ingest --manifest`): it wins over dates found in the page. */
    publishedAt: z.string().datetime({ offset: true }).nullish(),
    enqueuedAt: z.string().datetime(),
  })
  .refine((job) => job.url || job.raw || job.rawCleanedAt, {
    message: 'a fetch job needs a url or a raw document',
  });
export type FetchJob = z.infer<typeof FetchJobSchema>;

export const ExtractJobSchema = z.object({
  documentId,
  url: z.string().nullish(),
  finalUrl: z.string().nullish(),
  source: z.string().nullish(),
  cleaned: CleanedDocumentSchema,
  /** Passed on from the fetch job. */
  hints: FeedHintsSchema.nullish(),
  fetchedAt: z.string().datetime(),
  /** The publication time the submitter states (API, `sluice ingest --manifest`): it wins over dates found in the page. */
  publishedAt: z.string().datetime({ offset: true }).nullish(),
  enqueuedAt: z.string().datetime(),
});
export type ExtractJob = z.infer<typeof ExtractJobSchema>;

export const IndexJobSchema = z.object({
  documentId,
  document: ExtractedDocumentSchema,
  enqueuedAt: z.string().datetime(),
});
export type IndexJob = z.infer<typeof IndexJobSchema>;

export const PollFeedJobSchema = z.object({
  feedId: z.string().min(1),
  /** Set by `POST /feeds/:id/refresh`: poll even if the schedule says not yet. */
  force: z.boolean().default(false),
});
export type PollFeedJob = z.infer<typeof PollFeedJobSchema>;

export const PollSitemapJobSchema = z.object({
  sitemapId: z.string().min(1),
  force: z.boolean().default(false),
});
export type PollSitemapJob = z.infer<typeof PollSitemapJobSchema>;

/** The story repair pass: re-examines stories active in the last `sinceHours`. */
export const RepairStoriesJobSchema = z.object({
  sinceHours: z
    .number()
    .positive()
    .max(24 * 365)
    .default(72),
  maxStories: z.number().int().positive().max(10_000).default(500),
});
export type RepairStoriesJob = z.infer<typeof RepairStoriesJobSchema>;
/** The id of the job scheduler that runs the story repair pass, and how often it runs. */
export const REPAIR_STORIES_SCHEDULER = 'repair-stories';
export const REPAIR_STORIES_EVERY_MS = 10 * 60_000;

/**
 * The retention pass: removes documents that happened (published, else fetched) more than
 * `olderThanDays` ago, keeping stories and duplicates consistent. Scheduled only when
 * SLUICE_RETENTION_DAYS is set.
 */
export const ExpireDocumentsJobSchema = z.object({
  olderThanDays: z
    .number()
    .int()
    .positive()
    .max(365 * 100),
  /** Documents removed per transaction, so indexing waits for one batch at a time, not the whole pass. */
  batchSize: z.number().int().positive().max(10_000).default(500),
});
export type ExpireDocumentsJob = z.infer<typeof ExpireDocumentsJobSchema>;
/** The id of the job scheduler that runs the retention pass, and how often it runs. */
export const EXPIRE_DOCUMENTS_SCHEDULER = 'expire-documents';
export const EXPIRE_DOCUMENTS_EVERY_MS = 60 * 60_000;

/**
 * Every job: its queue, its name and its payload schema. Workers register one handler per
 * job name and refuse to start if one is missing.
 */
export const JOBS = {
  'fetch-document': { queue: QueueName.fetch, schema: FetchJobSchema },
  'extract-document': { queue: QueueName.extract, schema: ExtractJobSchema },
  'index-document': { queue: QueueName.index, schema: IndexJobSchema },
  'repair-stories': { queue: QueueName.index, schema: RepairStoriesJobSchema },
  'expire-documents': { queue: QueueName.index, schema: ExpireDocumentsJobSchema },
  'poll-feed': { queue: QueueName.feeds, schema: PollFeedJobSchema },
  'poll-sitemap': { queue: QueueName.feeds, schema: PollSitemapJobSchema },
  'deliver-webhook': { queue: QueueName.webhooks, schema: DeliverWebhookJobSchema },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;
export type JobsOfQueue<Q extends QueueName> = {
  [N in JobName]: (typeof JOBS)[N]['queue'] extends Q ? N : never;
}[JobName];
