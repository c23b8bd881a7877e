import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, type QueueMap, REDIS_PREFIX } from '@sluice/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * A connection for producers (API, CLI, enqueueing stages): commands fail fast when Redis is
 * down, so an HTTP request gets an error instead of hanging.
 */
export function createProducerConnection(url: string, name = 'sluice-producer'): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
}

/**
 * A connection for BullMQ workers: blocking commands must wait through reconnects, which BullMQ
 * requires (`maxRetriesPerRequest: null`).
 */
export function createWorkerConnection(url: string, name = 'sluice-worker'): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: null });
}

/** One Queue object per queue name, all under the shared prefix. */
export function createQueues(connection: Redis): QueueMap {
  return Object.fromEntries(
    ALL_QUEUES.map((name) => [
      name,
      new Queue(name, { connection, prefix: REDIS_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    ]),
  ) as QueueMap;
}

export async function closeQueues(queues: QueueMap): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

/** Resolves once Redis answers PING, or rejects with a message naming the URL. */
export async function waitForRedis(connection: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (connection.status === 'ready' && (await connection.ping()) === 'PONG') return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Redis at ${redactUrl(url)} did not answer within ${timeoutMs} ms: ${String(lastError ?? '')}`,
  );
}

/** Hides a password in a URL before it is logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
