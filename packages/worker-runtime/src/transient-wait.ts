import { DelayedError, type Job } from 'bullmq';
import { classifyError, readableReason } from './classify-error';

/** The first wait after a dependency fault, and the most a job ever waits between tries. */
export const TRANSIENT_BASE_DELAY_MS = 1_000;
export const TRANSIENT_MAX_DELAY_MS = 15_000;

/**
 * How long a job waits before its next try after `waitsSoFar` dependency faults: doubling from
 * one second, capped, with up to a fifth of jitter so a crowd of jobs does not return at once.
 * Pure; `random` is injectable for tests.
 */
export function transientDelayMs(waitsSoFar: number, random: () => number = Math.random): number {
  const exponential = TRANSIENT_BASE_DELAY_MS * 2 ** Math.max(0, Math.min(waitsSoFar, 20));
  const capped = Math.min(exponential, TRANSIENT_MAX_DELAY_MS);
  return Math.round(capped * (0.8 + 0.2 * random()));
}

/**
 * Dependency faults a job has met so far: each one moved it to delayed without spending an
 * attempt, but every start counts in `attemptsStarted`.
 */
export const dependencyWaitsOf = (job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>) =>
  Math.max(0, (job.attemptsStarted ?? 0) - (job.attemptsMade ?? 0) - 1);

export interface DelayOptions {
  /** True once the process is shutting down: stop trying, the job is released another way. */
  stopping: () => boolean;
  onRetry?: (reason: string, waitedMs: number) => void;
}

/**
 * Puts a job that met a dependency fault back to run later without spending an attempt, then
 * throws BullMQ's DelayedError so the worker leaves it alone. If Redis itself cannot take the
 * move yet (down, full), keeps trying with capped backoff; if the job's lock was lost meanwhile
 * the stalled-job check already owns it, so it is left to that.
 */
export async function delayWithoutSpendingAttempt(
  job: Job,
  token: string | undefined,
  options: DelayOptions,
): Promise<never> {
  const delayMs = transientDelayMs(dependencyWaitsOf(job));
  const started = Date.now();
  for (let tries = 0; !options.stopping(); tries++) {
    try {
      await job.moveToDelayed(Date.now() + delayMs, token);
      break;
    } catch (error) {
      if (classifyError(error).kind !== 'dependency') break; // lock lost: the stalled check has it
      options.onRetry?.(readableReason(error), Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, transientDelayMs(tries)));
    }
  }
  throw new DelayedError();
}
