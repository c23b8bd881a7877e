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
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  if (!pretty) return pino(options);
  const logger = pino(options, terminalStream(pino.levels.values[level] ?? 30));
  return logger;
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
