import pino, { type DestinationStream, type Logger } from 'pino';
import { formatTerminalLine, type LogRecord, showInTerminal } from './terminal';

export { formatTerminalLine, showInTerminal } from './terminal';
export type { Logger };

export interface LoggerOptions {
  name: string;
  level?: string;
  /** One short line per record for people; JSON lines for machines. Defaults to whether stdout is a TTY. */
  pretty?: boolean;
}

/**
 * The terminal's destination, in this thread (no transport worker): each JSON record becomes
 * one line, request logs only at debug.
 */
function terminalStream(level: number): DestinationStream {
  const colour = process.stdout.hasColors?.() === true;
  return {
    write(chunk: string) {
      let record: LogRecord;
      try {
        record = JSON.parse(chunk) as LogRecord;
      } catch {
        process.stdout.write(chunk);
        return;
      }
      if (!showInTerminal(record, level)) return;
      const width = Math.max(60, process.stdout.columns ?? 160);
      process.stdout.write(`${formatTerminalLine(record, { colour, width })}\n`);
    },
  };
}

export function createLogger({
  name,
  level = 'info',
  pretty = process.stdout.isTTY === true,
}: LoggerOptions): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
  };
  if (!pretty) return pino(options);
  return pino(options, terminalStream(pino.levels.values[level] ?? 30));
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
