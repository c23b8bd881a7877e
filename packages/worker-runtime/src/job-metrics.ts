import { ALL_QUEUES, type QueueMap, REDIS_PREFIX } from '@sluice/contracts';
import type { RedisClient } from './redis-client';

/**
 * Job outcome counters and duration histograms kept in Redis, so every worker copy adds to the
 * same figures and the API's /metrics shows the whole fleet, not one process.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const keyOf = (queue: string) => `${REDIS_PREFIX}:metrics:${queue}`;

export type JobOutcome = 'completed' | 'failed';

export async function recordJobOutcome(
  redis: RedisClient,
  queue: string,
  outcome: JobOutcome,
  durationMs: number,
): Promise<void> {
  const seconds = durationMs / 1000;
  const key = keyOf(queue);
  const multi = redis.multi().hincrby(key, outcome, 1);
  if (outcome === 'completed') {
    for (const bound of DURATION_BUCKETS_SECONDS) if (seconds <= bound) multi.hincrby(key, `le:${bound}`, 1);
    multi.hincrby(key, 'le:+Inf', 1).hincrbyfloat(key, 'duration_sum', seconds);
  }
  await multi.exec();
}

/** Adds CPU time spent on a queue's jobs (see QueueCpuMeter). */
export async function recordQueueCpu(redis: RedisClient, queue: string, cpuMs: number): Promise<void> {
  await redis.hincrbyfloat(keyOf(queue), 'cpu_sum', cpuMs / 1000);
}

/**
 * CPU this process spends while it has jobs of one queue in hand, counted once however many
 * run at the same moment (a per-job reading would count a concurrent job's CPU twice).
 * Divided by completed jobs it gives CPU per job: the figure that says whether a stage needs
 * sandboxed processors to keep lock renewal alive.
 */
export class QueueCpuMeter {
  private active = 0;
  private startedAt: NodeJS.CpuUsage | null = null;

  /** Call when a job starts. */
  enter(): void {
    if (this.active++ === 0) this.startedAt = process.cpuUsage();
  }

  /** Call when a job ends; returns the CPU ms of the busy period that just closed, else 0. */
  leave(): number {
    if (--this.active > 0 || !this.startedAt) return 0;
    const used = process.cpuUsage(this.startedAt);
    this.startedAt = null;
    return (used.user + used.system) / 1000;
  }
}

/** Renders the fleet-wide job metrics and live queue depths in Prometheus text format. */
export async function renderJobMetrics(redis: RedisClient, queues: QueueMap): Promise<string> {
  const lines: string[] = [
    '# HELP sluice_jobs_total Jobs finished, by queue and outcome (all worker copies).',
    '# TYPE sluice_jobs_total counter',
  ];
  const stats = await Promise.all(ALL_QUEUES.map((queue) => redis.hgetall(keyOf(queue))));
  ALL_QUEUES.forEach((queue, index) => {
    const stat = stats[index] ?? {};
    for (const outcome of ['completed', 'failed'] as const) {
      lines.push(`sluice_jobs_total{queue="${queue}",outcome="${outcome}"} ${Number(stat[outcome] ?? 0)}`);
    }
  });
  lines.push(
    '# HELP sluice_job_duration_seconds Time from a worker taking a job to finishing it.',
    '# TYPE sluice_job_duration_seconds histogram',
  );
  ALL_QUEUES.forEach((queue, index) => {
    const stat = stats[index] ?? {};
    for (const bound of [...DURATION_BUCKETS_SECONDS.map(String), '+Inf']) {
      lines.push(
        `sluice_job_duration_seconds_bucket{queue="${queue}",le="${bound}"} ${Number(stat[`le:${bound}`] ?? 0)}`,
      );
    }
    lines.push(`sluice_job_duration_seconds_sum{queue="${queue}"} ${Number(stat.duration_sum ?? 0)}`);
    lines.push(`sluice_job_duration_seconds_count{queue="${queue}"} ${Number(stat['le:+Inf'] ?? 0)}`);
  });
  lines.push(
    '# HELP sluice_job_cpu_seconds_total CPU time of the processes while they held jobs of the queue.',
    '# TYPE sluice_job_cpu_seconds_total counter',
  );
  ALL_QUEUES.forEach((queue, index) => {
    lines.push(`sluice_job_cpu_seconds_total{queue="${queue}"} ${Number(stats[index]?.cpu_sum ?? 0)}`);
  });
  lines.push('# HELP sluice_queue_jobs Jobs in each queue, by state.', '# TYPE sluice_queue_jobs gauge');
  const counts = await Promise.all(
    ALL_QUEUES.map((queue) =>
      queues[queue].getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
    ),
  );
  ALL_QUEUES.forEach((queue, index) => {
    for (const [state, count] of Object.entries(counts[index] ?? {})) {
      lines.push(`sluice_queue_jobs{queue="${queue}",state="${state}"} ${count}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
