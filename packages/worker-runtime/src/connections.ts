import {
  ALL_QUEUES,
  jobOptionsFor,
  jobOptionsWithin,
  type QueueMap,
  queuePrefix,
  type SmallerRetention,
} from '@sluice/contracts';
import type { Logger } from '@sluice/logger';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { readableReason } from './classify-error';
import { createRedisClient, isClusterUrl, type RedisClient } from './redis-client';
import { throttled } from './throttled';

/**
 * A producer connection to one Redis server (see `createRedisClient`, which also takes a
 * cluster): for scripts and benchmarks that run against a single server and want its type.
 */
export function createProducerConnection(url: string, name = 'sluice-producer'): Redis {
  return singleServer(createRedisClient(url, 'producer', name));
}

/** A BullMQ worker connection to one Redis server; see `createProducerConnection`. */
export function createWorkerConnection(url: string, name = 'sluice-worker'): Redis {
  return singleServer(createRedisClient(url, 'worker', name));
}

function singleServer(client: RedisClient): Redis {
  if (client instanceof Redis) return client;
  client.disconnect();
  throw new Error(
    'a Redis Cluster address needs createRedisClient(url, role, name), not a single-server connection',
  );
}

/**
 * One Queue object per queue name, each under its own prefix (hash tag). Each has an error listener
 * (an unlistened one prints stack traces during outages): given a logger, errors are logged
 * as one short line at most every 10 s per queue. With `retention`, jobs added through these
 * queues keep fewer completed jobs and each queue's event stream is shorter.
 */
export function createQueues(
  connection: RedisClient,
  logger?: Logger,
  retention?: SmallerRetention,
): QueueMap {
  return Object.fromEntries(
    ALL_QUEUES.map((name) => {
      const queue = new Queue(name, {
        connection,
        prefix: queuePrefix(name),
        defaultJobOptions: retention ? jobOptionsWithin(name, retention) : jobOptionsFor(name),
        ...(retention ? { streams: { events: { maxLen: retention.events } } } : {}),
      });
      const log = throttled(10_000);
      queue.on('error', (error) =>
        log(() => logger?.warn({ queue: name, reason: readableReason(error) }, 'queue error (retrying)')),
      );
      return [name, queue];
    }),
  ) as QueueMap;
}

export async function closeQueues(queues: QueueMap): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

export interface WaitOptions {
  /** Give up after this long; 0 (the default) waits for ever. */
  timeoutMs?: number;
  logger?: Logger;
  /** How often a "still waiting" line is logged. */
  logEveryMs?: number;
}

/**
 * Resolves once `probe` succeeds, retrying with capped backoff and logging why it is still
 * waiting (the last error, never an empty reason). Rejects only when `timeoutMs` is set and
 * passes, with a message naming what did not answer and why.
 */
export async function waitFor(
  what: string,
  probe: () => Promise<unknown>,
  { timeoutMs = 0, logger, logEveryMs = 5_000 }: WaitOptions = {},
  lastKnownReason: () => string | null = () => null,
): Promise<void> {
  const started = Date.now();
  let lastLogged = started;
  let reason = 'no answer yet';
  for (let tries = 0; ; tries++) {
    try {
      await probe();
      if (tries > 0) logger?.info({ waitedMs: Date.now() - started }, `${what} answers`);
      return;
    } catch (error) {
      reason = lastKnownReason() ?? readableReason(error);
    }
    const waited = Date.now() - started;
    if (timeoutMs > 0 && waited >= timeoutMs) {
      throw new Error(`${what} did not answer within ${timeoutMs} ms: ${reason}`);
    }
    // The first line after a second (a connection still being made is not news), then every `logEveryMs`.
    const firstLine = lastLogged === started && waited >= 1_000;
    if (firstLine || (lastLogged !== started && Date.now() - lastLogged >= logEveryMs)) {
      lastLogged = Date.now();
      logger?.warn({ reason, waitedMs: waited }, `waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(tries, 5), 2_000)));
  }
}

/** Resolves once Redis answers PING; see `waitFor`. */
export async function waitForRedis(
  connection: RedisClient,
  url: string,
  waitOptions: WaitOptions | number = {},
): Promise<void> {
  const options = typeof waitOptions === 'number' ? { timeoutMs: waitOptions } : waitOptions;
  let lastError: string | null = null;
  const onError = (error: Error) => {
    lastError = readableReason(error);
  };
  connection.on('error', onError);
  try {
    await waitFor(
      `Redis at ${redactUrl(url)}`,
      async () => {
        if (connection.status !== 'ready') throw new Error(`connection is ${connection.status}`);
        if ((await connection.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
      },
      options,
      () => lastError,
    );
  } finally {
    connection.off('error', onError);
  }
}

/** Hides a password in a URL (or cluster address) before it is logged. */
export function redactUrl(url: string): string {
  if (isClusterUrl(url)) return url.replace(/\/\/([^@/]*?:)?[^@/]*@/, '//$1***@');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
