import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, z } from '@sluice/config';
import {
  EXPIRE_DOCUMENTS_EVERY_MS,
  EXPIRE_DOCUMENTS_SCHEDULER,
  type ExpireDocumentsJob,
  JOBS,
} from '@sluice/contracts';
import { DocumentStore } from '@sluice/store';
import type { JobContext, Runtime } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';

export const retentionEnvSchema = z.object({
  /** Documents that happened more than this many days ago are removed; unset keeps everything. */
  SLUICE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365 * 100)
    .optional(),
  /** Where removed documents are appended as NDJSON first (export lines); unset: not archived. */
  SLUICE_RETENTION_ARCHIVE_DIR: z.string().min(1).optional(),
});

/** Read at start (a bad SLUICE_RETENTION_* variable stops the indexer, named) and at each pass. */
export const retentionSettings = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(retentionEnvSchema, env);

const DAY_MS = 24 * 3_600_000;

/**
 * `expire-documents`: the retention pass. With an archive directory, each batch is appended
 * (and flushed to disk) to `expired-documents-YYYY-MM-DD.ndjson` before it is removed; a pass cut
 * short after writing a batch writes it again next time, so readers de-duplicate by `id`.
 */
export async function expireDocuments(job: Job<ExpireDocumentsJob>, context: JobContext) {
  if (!context.db) throw new Error('the indexer needs a database');
  const before = new Date(Date.now() - job.data.olderThanDays * DAY_MS);
  const archiveDir = retentionSettings().SLUICE_RETENTION_ARCHIVE_DIR;
  const report = await new DocumentStore(context.db).expireDocuments({
    before,
    batchSize: job.data.batchSize,
    archive: archiveDir ? (lines) => appendArchive(archiveDir, lines) : undefined,
  });
  context.log.info({ before: before.toISOString(), ...report, archiveDir }, 'retention pass done');
  return report;
}

async function appendArchive(dir: string, lines: string[]) {
  if (lines.length === 0) return;
  await mkdir(dir, { recursive: true });
  const file = await open(
    join(dir, `expired-documents-${new Date().toISOString().slice(0, 10)}.ndjson`),
    'a',
  );
  try {
    await file.appendFile(`${lines.join('\n')}\n`);
    // On disk before the batch's transaction commits the removal.
    await file.datasync();
  } finally {
    await file.close();
  }
}

/**
 * One scheduler for all indexer copies when SLUICE_RETENTION_DAYS is set; removed when it is
 * not, so turning retention off stops the pass. Set it alike on every indexer copy.
 */
export async function scheduleRetention(runtime: Runtime) {
  const queue = runtime.queues[JOBS['expire-documents'].queue];
  const days = retentionSettings().SLUICE_RETENTION_DAYS;
  if (!days) {
    await queue.removeJobScheduler(EXPIRE_DOCUMENTS_SCHEDULER);
    return;
  }
  await queue.upsertJobScheduler(
    EXPIRE_DOCUMENTS_SCHEDULER,
    { every: EXPIRE_DOCUMENTS_EVERY_MS },
    { name: 'expire-documents', data: { olderThanDays: days, batchSize: 500 } },
  );
  runtime.logger.info({ days, every: EXPIRE_DOCUMENTS_EVERY_MS }, 'retention pass scheduled');
}
