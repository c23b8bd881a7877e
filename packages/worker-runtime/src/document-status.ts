import { PIPELINE_ORDER, type QueueMap, type QueueName } from '@sluice/contracts';

export type DocumentStage = 'queued' | 'fetched' | 'extracted' | 'indexed' | 'failed' | 'skipped' | 'unknown';

export interface DocumentStatus {
  id: string;
  status: DocumentStage;
  /** The stage whose job decided the status. */
  queue: QueueName | null;
  /** The job's state in that queue (waiting, active, delayed, completed, failed...). */
  jobState: string | null;
  failedReason: string | null;
  /** Why the fetcher left the document alone (robots.txt, not a document type), when it did. */
  skippedReason: string | null;
  attemptsMade: number;
  /** Each stage's job state, for the operator's view of the path. */
  stages: Partial<Record<QueueName, string>>;
}

/** What reaching each stage's queue means for the document. */
const STATUS_ON_REACHING: Record<string, DocumentStage> = {
  fetch: 'queued',
  extract: 'fetched',
  index: 'extracted',
};

/**
 * A document's progress, read from its jobs: the document id is the job id at every stage, so
 * the furthest stage that has a job tells where the document is. Completed index jobs mean
 * indexed; a failed job anywhere means failed, with its reason.
 */
export async function documentStatusFromQueues(queues: QueueMap, id: string): Promise<DocumentStatus> {
  const stages: Partial<Record<QueueName, string>> = {};
  let decided: DocumentStatus | null = null;
  for (const queue of [...PIPELINE_ORDER].reverse()) {
    let job = await queues[queue].getJob(id);
    if (!job) continue;
    const state = await job.getState();
    // The job may have finished between the two reads: read it again for its reason or result.
    if (state === 'failed' || state === 'completed') job = (await queues[queue].getJob(id)) ?? job;
    stages[queue] = state;
    if (decided) continue;
    const base = { id, queue, jobState: state, attemptsMade: job.attemptsMade, stages, skippedReason: null };
    const skipped = (job.returnvalue as { skipped?: string; detail?: string } | null)?.skipped;
    if (state === 'failed') {
      decided = { ...base, status: 'failed', failedReason: job.failedReason ?? 'failed' };
    } else if (state === 'completed' && skipped) {
      const detail = (job.returnvalue as { detail?: string }).detail;
      decided = {
        ...base,
        status: 'skipped',
        failedReason: null,
        skippedReason: detail ? `${skipped}: ${detail}` : skipped,
      };
    } else if (state === 'completed') {
      const next = PIPELINE_ORDER[PIPELINE_ORDER.indexOf(queue) + 1];
      decided = {
        ...base,
        status: next ? (STATUS_ON_REACHING[next] ?? 'unknown') : 'indexed',
        failedReason: null,
      };
    } else {
      decided = { ...base, status: STATUS_ON_REACHING[queue] ?? 'unknown', failedReason: null };
    }
  }
  return (
    decided ?? {
      id,
      status: 'unknown',
      queue: null,
      jobState: null,
      failedReason: null,
      skippedReason: null,
      attemptsMade: 0,
      stages,
    }
  );
}
