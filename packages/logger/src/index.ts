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
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
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
