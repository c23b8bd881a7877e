import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Pretty, coloured lines for people; JSON lines for machines. Defaults to whether stdout is a TTY. */
  pretty?: boolean;
}

export function createLogger({
  name,
  level = 'info',
  pretty = process.stdout.isTTY === true,
}: LoggerOptions): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

/** Longest message kept in a logged error: a message can quote a whole document. */
const MAX_ERROR_MESSAGE = 500;

/**
 * pino's error serializer without what can hold a whole document: ioredis puts the failed
 * command with all its arguments (a job's payload) on `command`, and messages can be long.
 */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const { command, args, previousErrors, ...rest } = serialized;
  const name = (command as { name?: unknown } | undefined)?.name;
  if (typeof name === 'string') rest.command = name;
  if (typeof rest.message === 'string' && rest.message.length > MAX_ERROR_MESSAGE) {
    rest.message = `${rest.message.slice(0, MAX_ERROR_MESSAGE)}…`;
  }
  if (typeof rest.stack === 'string' && rest.stack.length > 4 * MAX_ERROR_MESSAGE) {
    rest.stack = `${rest.stack.slice(0, 4 * MAX_ERROR_MESSAGE)}…`;
  }
  return rest;
}

/** Every line logged while handling a job carries its document id and job id. */
export function jobLogger(
  logger: Logger,
  job: { id?: string | null; name: string; queueName: string; data?: unknown },
): Logger {
  const data = (job.data ?? {}) as { documentId?: string; feedId?: string };
  return logger.child({
    jobId: job.id,
    job: job.name,
    queue: job.queueName,
    ...(data.documentId ? { documentId: data.documentId } : {}),
    ...(data.feedId ? { feedId: data.feedId } : {}),
  });
}
