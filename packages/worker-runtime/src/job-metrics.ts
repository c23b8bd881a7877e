import { ALL_QUEUES, type QueueMap, REDIS_PREFIX } from '@sluice/contracts';
import type { Redis } from 'ioredis';

/**
 * Job outcome counters and duration histograms kept in Redis, so every worker copy adds to the
 * same figures and the API's /metrics shows the whole fleet, not one process.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const keyOf = (queue: string) => `${REDIS_PREFIX}:metrics:${queue}`;

export type JobOutcome = 'completed' | 'failed';

export async function recordJobOutcome(
  redis: Redis,
  queue: string,
  outcome: JobOutcome,
  durationMs: number,
  cpuMs: number,
): Promise<void> {
  const seconds = durationMs / 1000;
  const key = keyOf(queue);
  const multi = redis.multi().hincrby(key, outcome, 1);
  if (outcome === 'completed') {
    for (const bound of DURATION_BUCKETS_SECONDS) if (seconds <= bound) multi.hincrby(key, `le:${bound}`, 1);
    multi
      .hincrby(key, 'le:+Inf', 1)
      .hincrbyfloat(key, 'duration_sum', seconds)
      .hincrbyfloat(key, 'cpu_sum', cpuMs / 1000);
  }
  await multi.exec();
}

/** Renders the fleet-wide job metrics and live queue depths in Prometheus text format. */
export async function renderJobMetrics(redis: Redis, queues: QueueMap): Promise<string> {
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
    '# HELP sluice_job_cpu_seconds_total CPU time spent in job handlers.',
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
