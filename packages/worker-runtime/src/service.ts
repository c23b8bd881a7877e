import {
  JOBS,
  type JobName,
  type JobPayload,
  type JobsOfQueue,
  type QueueName,
  REDIS_PREFIX,
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
import { createWorkerConnection } from './connections';
import { QueueCpuMeter, recordJobOutcome, recordQueueCpu } from './job-metrics';
import type { Runtime } from './runtime';

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
  /** Stops taking jobs and waits for active ones; after `timeoutMs` abandons them to be retried. */
  stop(timeoutMs: number): Promise<void>;
}

/** Marks an error as permanent: retrying cannot help (bad input, refused URL, 4xx). */
export function isPermanentError(error: unknown): boolean {
  if (error instanceof UnrecoverableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { permanent?: unknown; name?: unknown };
  return candidate.permanent === true || candidate.name === 'ZodError';
}

export async function startService(runtime: Runtime, service: ServiceDefinition): Promise<StartedService> {
  for (const definition of service.workers) assertEveryJobHandled(definition);
  await service.onStart?.(runtime);
  const lockDuration = Number(process.env.SLUICE_JOB_LOCK_MS ?? 30_000);
  const workers = service.workers.map((definition) => {
    const meter = new QueueCpuMeter();
    const worker = new Worker(
      definition.queue,
      (job, token) => processJob(runtime, definition, meter, job, token),
      {
        connection: createWorkerConnection(runtime.redisUrl, `sluice-${service.name}-${definition.queue}`),
        prefix: REDIS_PREFIX,
        concurrency: runtime.config.WORKER_CONCURRENCY ?? definition.concurrency,
        lockDuration,
        stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
        // A stalled job (its worker died) is retried a few times before it is failed for good.
        maxStalledCount: 3,
        // Completed and failed jobs per minute, kept a week: the pipeline page's throughput.
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
        autorun: true,
      },
    );
    worker.on('error', (error) =>
      runtime.logger.error({ err: error, queue: definition.queue }, 'worker error'),
    );
    worker.on('stalled', (jobId) =>
      runtime.logger.warn({ jobId, queue: definition.queue }, 'job stalled; it will be retried'),
    );
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      jobLogger(runtime.logger, job)[final ? 'error' : 'warn'](
        { reason: error.message, attempt: job.attemptsMade },
        final ? 'job failed' : 'job failed; will retry',
      );
    });
    return worker;
  });
  runtime.logger.info(
    { service: service.name, queues: service.workers.map((definition) => definition.queue) },
    'workers started',
  );
  return {
    name: service.name,
    workers,
    async stop(timeoutMs) {
      await Promise.all(workers.map((worker) => closeWorker(worker, timeoutMs, runtime.logger)));
    },
  };
}

async function processJob(
  runtime: Runtime,
  definition: AnyWorkerDefinition,
  meter: QueueCpuMeter,
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
  try {
    const result = await handler(job, { ...runtime, log, token });
    const durationMs = performance.now() - started;
    log.debug({ durationMs: Math.round(durationMs) }, 'job done');
    await recordJobOutcome(runtime.redis, definition.queue, 'completed', durationMs).catch(() => {});
    return result;
  } catch (error) {
    if (error instanceof DelayedError || error instanceof WaitingChildrenError) throw error;
    const final = isPermanentError(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) await recordJobOutcome(runtime.redis, definition.queue, 'failed', 0).catch(() => {});
    if (isPermanentError(error) && !(error instanceof UnrecoverableError)) {
      throw new UnrecoverableError((error as Error).message);
    }
    throw error;
  } finally {
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

async function closeWorker(worker: Worker, timeoutMs: number, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn(
      { queue: worker.name, timeoutMs },
      'active jobs did not finish in time; releasing them to retry',
    );
    await worker.close(true);
  }
  await worker.disconnect().catch(() => {});
}
