import { hostname } from 'node:os';
import {
  JOBS,
  type JobName,
  type JobPayload,
  type JobsOfQueue,
  type QueueName,
  queuePrefix,
} from '@sluice/contracts';
import { jobLogger, type Logger } from '@sluice/logger';
import {
  DelayedError,
  type Job,
  MetricsTime,
  UnrecoverableError,
  WaitingChildrenError,
  Worker,
} from 'bullmq';
import { ActiveJobs } from './active-jobs';
import { classifyError, readableReason } from './classify-error';
import { DatabaseWatch } from './dependency-watch';
import { QueueCpuMeter, recordJobOutcome, recordQueueCpu } from './job-metrics';
import { createRedisClient } from './redis-client';
import type { Runtime } from './runtime';
import { throttled } from './throttled';
import { delayWithoutSpendingAttempt } from './transient-wait';

/** What a handler gets besides its job: the runtime, a logger bound to the job, the lock token. */
export interface JobContext extends Runtime {
  log: Logger;
  token: string | undefined;
}

export type JobHandler<N extends JobName> = (
  job: Job<JobPayload<N>>,
  context: JobContext,
) => Promise<unknown>;

export type HandlersOf<Q extends QueueName> = { [N in JobsOfQueue<Q>]: JobHandler<N> };

export interface WorkerDefinition<Q extends QueueName = QueueName> {
  queue: Q;
  handlers: HandlersOf<Q>;
  /** Jobs processed at once by this copy. I/O-bound stages want more than CPU-bound ones. */
  concurrency: number;
  /** Delay before a retry, for jobs whose backoff type is not one of BullMQ's own. */
  backoffStrategy?: (attemptsMade: number, type?: string, error?: Error) => number;
}

/** Typed constructor so each handler is checked against its job's payload. */
export const defineWorker = <Q extends QueueName>(definition: WorkerDefinition<Q>) => definition;

/** A worker definition for any one queue. */
export type AnyWorkerDefinition = { [Q in QueueName]: WorkerDefinition<Q> }[QueueName];

export interface ServiceDefinition {
  name: string;
  needsDatabase: boolean;
  workers: AnyWorkerDefinition[];
  /** Runs after connections are up and before workers start (migrations, schedulers). */
  onStart?: (runtime: Runtime) => Promise<void>;
}

export interface StartedService {
  name: string;
  workers: Worker[];
  /**
   * Stops taking jobs and lets active ones finish; those still running shortly before
   * `timeoutMs` are handed back to the queue (no attempt spent) for another copy to take at once.
   */
  stop(timeoutMs: number): Promise<void>;
}

/** Whether an error is the document's own fault: retrying cannot help (bad input, refused URL, 4xx). */
export function isPermanentError(error: unknown): boolean {
  return classifyError(error).kind === 'document';
}

/**
 * A stalled job (its worker died, or its lock expired while Redis was away) goes back to
 * waiting this many times before it is failed for good: enough for several outages in a row,
 * few enough that a job that kills its worker every time does not loop for ever.
 */
const MAX_STALLED_COUNT = 10;

/** What one running service shares between its workers' job handling. */
interface ServiceState {
  database: DatabaseWatch;
  stopping: boolean;
}

export async function startService(runtime: Runtime, service: ServiceDefinition): Promise<StartedService> {
  for (const definition of service.workers) assertEveryJobHandled(definition);
  await service.onStart?.(runtime);
  const lockDuration = Number(process.env.SLUICE_JOB_LOCK_MS ?? 30_000);
  const workers: Worker[] = [];
  const state: ServiceState = { database: new DatabaseWatch(runtime, () => workers), stopping: false };
  const activeByWorker = new Map<Worker, ActiveJobs>();
  for (const definition of service.workers) {
    const meter = new QueueCpuMeter();
    const active = new ActiveJobs();
    const worker = new Worker(
      definition.queue,
      (job, token) => processJob(runtime, definition, meter, state, active, job, token),
      {
        connection: createRedisClient(
          runtime.redisUrl,
          'worker',
          `sluice-${service.name}-${definition.queue}`,
        ),
        prefix: queuePrefix(definition.queue),
        // Shown as the job's "processed by" (Bull Board, getJob): which copy holds a job.
        name: workerName(service.name),
        concurrency: runtime.config.WORKER_CONCURRENCY ?? definition.concurrency,
        lockDuration,
        stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
        maxStalledCount: MAX_STALLED_COUNT,
        // Completed and failed jobs per minute, kept a week: the pipeline page's throughput.
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
        autorun: true,
        ...(definition.backoffStrategy ? { settings: { backoffStrategy: definition.backoffStrategy } } : {}),
      },
    );
    // Outages make every connection report the same error many times: log it once in a while.
    const logWorkerError = throttled(10_000);
    worker.on('error', (error) =>
      logWorkerError(() =>
        runtime.logger.warn({ reason: readableReason(error), queue: definition.queue }, 'worker error'),
      ),
    );
    worker.on('stalled', (jobId) =>
      runtime.logger.warn({ jobId, queue: definition.queue }, 'job stalled; it will be retried'),
    );
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      jobLogger(runtime.logger, job)[final ? 'error' : 'warn'](
        { reason: readableReason(error), attempt: job.attemptsMade },
        final ? 'job failed' : 'job failed; will retry',
      );
    });
    workers.push(worker);
    activeByWorker.set(worker, active);
  }
  runtime.logger.info(
    { service: service.name, queues: service.workers.map((definition) => definition.queue) },
    'workers started',
  );
  return {
    name: service.name,
    workers,
    async stop(timeoutMs) {
      state.stopping = true;
      state.database.stop();
      await Promise.all(
        workers.map((worker) =>
          closeWorker(worker, activeByWorker.get(worker) as ActiveJobs, timeoutMs, runtime.logger),
        ),
      );
    },
  };
}

async function processJob(
  runtime: Runtime,
  definition: AnyWorkerDefinition,
  meter: QueueCpuMeter,
  state: ServiceState,
  active: ActiveJobs,
  job: Job,
  token?: string,
) {
  const log = jobLogger(runtime.logger, job);
  const name = job.name as JobName;
  const handler = (definition.handlers as Record<string, JobHandler<JobName>>)[name];
  if (!handler || JOBS[name]?.queue !== definition.queue) {
    throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${definition.queue}"`);
  }
  const parsed = JOBS[name].schema.safeParse(job.data);
  if (!parsed.success) {
    const details = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`,
    );
    await recordJobOutcome(runtime.redis, definition.queue, 'failed', 0).catch(() => {});
    throw new UnrecoverableError(`invalid ${job.name} payload: ${details.join('; ')}`);
  }
  job.data = parsed.data;
  const started = performance.now();
  meter.enter();
  active.add(job, token);
  try {
    const result = await handler(job, { ...runtime, log, token });
    const durationMs = performance.now() - started;
    log.debug({ durationMs: Math.round(durationMs) }, 'job done');
    await recordJobOutcome(runtime.redis, definition.queue, 'completed', durationMs).catch(() => {});
    return result;
  } catch (error) {
    if (error instanceof DelayedError || error instanceof WaitingChildrenError) throw error;
    const kind = classifyError(error);
    if (kind.kind === 'dependency') {
      // Not the document's fault: wait for the dependency without spending an attempt.
      log.warn({ dependency: kind.dependency, reason: kind.reason }, 'dependency unavailable; job will wait');
      if (kind.dependency === 'database') state.database.reportDown(error);
      return await delayWithoutSpendingAttempt(job, token, { stopping: () => state.stopping });
    }
    const final = kind.kind === 'document' || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) await recordJobOutcome(runtime.redis, definition.queue, 'failed', 0).catch(() => {});
    if (kind.kind === 'document') {
      throw error instanceof UnrecoverableError ? error : new UnrecoverableError(kind.reason);
    }
    throw error;
  } finally {
    active.delete(job);
    const cpuMs = meter.leave();
    if (cpuMs > 0) await recordQueueCpu(runtime.redis, definition.queue, cpuMs).catch(() => {});
  }
}

function assertEveryJobHandled(definition: AnyWorkerDefinition) {
  const expected = (Object.keys(JOBS) as JobName[]).filter((name) => JOBS[name].queue === definition.queue);
  const missing = expected.filter((name) => !(name in definition.handlers));
  if (missing.length > 0) {
    throw new Error(`queue "${definition.queue}" has jobs without a handler: ${missing.join(', ')}`);
  }
}

/** Time kept back from the shutdown budget to hand jobs back and close connections. */
const releaseMarginMs = (timeoutMs: number) => Math.min(1_500, timeoutMs / 4);

/**
 * Closes a worker within `timeoutMs`: waits for active jobs while the budget allows, then hands
 * the ones still running back to the queue and closes the connection without waiting for them
 * (BullMQ's close, once started, would wait for them whatever `force` says later).
 */
async function closeWorker(worker: Worker, active: ActiveJobs, timeoutMs: number, logger: Logger) {
  const graceMs = Math.max(0, timeoutMs - releaseMarginMs(timeoutMs));
  const closing = worker.close();
  closing.catch(() => {});
  const outcome = await raceTimeout(closing, graceMs);
  if (outcome === 'timeout') {
    const running = active.size;
    const released = await active.releaseAll(logger);
    logger.warn(
      { queue: worker.name, timeoutMs, running, released },
      'active jobs did not finish in time; handed back to the queue for another copy',
    );
  }
  await raceTimeout(
    worker.disconnect().catch(() => {}),
    releaseMarginMs(timeoutMs) / 2,
  );
}

/** Waits for `promise` at most `ms`; says which came first. Never rejects. */
async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([
    promise.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  return outcome;
}

/** `fetcher@host/1234`: one running copy of a service, as operators see it in the dashboard. */
export function workerName(serviceName: string): string {
  return `${serviceName}@${hostname()}/${process.pid}`;
}
