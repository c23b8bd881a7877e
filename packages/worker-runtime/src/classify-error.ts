import { UnrecoverableError } from 'bullmq';

/**
 * Why a job failed, which decides what happens to it:
 * - `dependency`: Redis or the database is unreachable, restarting, read-only or full. The
 *   document is not at fault, so the job waits (no attempt spent) until the dependency is back.
 * - `document`: the document itself cannot be processed (bad input, a value the index refuses).
 *   It fails at once, with the reason.
 * - `unknown`: anything else (a bug, a flaky page). Ordinary retries with backoff, then failed.
 */
export type ErrorClass =
  | { kind: 'dependency'; dependency: 'redis' | 'database'; reason: string }
  | { kind: 'document'; reason: string }
  | { kind: 'unknown'; reason: string };

/** Socket-level codes meaning "the server went away or is not there (yet)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that is not there yet
]);

/** Redis error replies that mean "not now" rather than "never". */
const REDIS_TRANSIENT_REPLIES = /^(OOM|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)\b/;

/** ioredis and BullMQ messages for a connection that is closed or giving up for this command. */
const REDIS_CONNECTION_MESSAGES =
  /Connection is closed|Stream isn't writeable|Reached the max retries per request limit|enableOfflineQueue options is false|Connection is in subscriber mode|Command timed out/i;

/** node-postgres messages for a connection that broke or could not be made. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery mode)|server closed the connection|Connection refused/i;

/**
 * SQLSTATE classes and codes of a database that is unavailable or overloaded: connection
 * exceptions (08), operator intervention such as a restart or `pg_terminate_backend` (57P0x),
 * insufficient resources (53), serialization failures and deadlocks (40001, 40P01), and
 * a lock or statement timeout (55P03, 57014).
 */
function isTransientSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    [
      '57P01',
      '57P02',
      '57P03',
      '57P04',
      '57P05',
      '40001',
      '40P01',
      '55P03',
      '57014',
      '58000',
      '58030',
    ].includes(code)
  );
}

/**
 * SQLSTATE classes of a value the database refuses whatever its state: data exceptions (22:
 * NUL bytes, bad encodings, out-of-range values) and program limits (54: a tsvector or row too
 * large). Retrying the same document gives the same answer.
 */
const isDocumentSqlState = (code: string) => code.startsWith('22') || code.startsWith('54');

/** Classifies a thrown value. Pure: looks only at the error, its code, message and causes. */
export function classifyError(error: unknown): ErrorClass {
  const reason = readableReason(error);
  if (error instanceof UnrecoverableError) return { kind: 'document', reason };
  for (const candidate of causeChain(error)) {
    const found = classifyOne(candidate);
    if (found) return { ...found, reason };
  }
  return { kind: 'unknown', reason };
}

/** True when the error is Redis or the database being unavailable: wait, do not fail. */
export const isDependencyError = (error: unknown) => classifyError(error).kind === 'dependency';

type Verdict =
  | { kind: 'dependency'; dependency: 'redis' | 'database' }
  | { kind: 'document' }
  | { kind: 'unknown' };

function classifyOne(error: object): Verdict | null {
  const { code, message, name, permanent, severity, sqlState } = fieldsOf(error);
  if (permanent === true || name === 'ZodError' || name === 'UnrecoverableError') return { kind: 'document' };
  // A remote site that refused or reset the connection is not a dependency of Sluice: its
  // socket error (the cause) must not make the job wait for ever. Ordinary retries decide.
  if (name === 'FetchError') return { kind: 'unknown' };
  // A pg DatabaseError carries `severity` and a five-character SQLSTATE in `code`.
  const pgCode = sqlState ?? (severity && code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined);
  if (pgCode) {
    if (isTransientSqlState(pgCode)) return { kind: 'dependency', dependency: 'database' };
    if (isDocumentSqlState(pgCode)) return { kind: 'document' };
    return null;
  }
  if (name === 'ReplyError' && REDIS_TRANSIENT_REPLIES.test(message)) {
    return { kind: 'dependency', dependency: 'redis' };
  }
  if (name === 'MaxRetriesPerRequestError' || REDIS_CONNECTION_MESSAGES.test(message)) {
    return { kind: 'dependency', dependency: 'redis' };
  }
  if (PG_CONNECTION_MESSAGES.test(message)) return { kind: 'dependency', dependency: 'database' };
  if (code && NETWORK_CODES.has(code)) return { kind: 'dependency', dependency: dependencyOfSocket(error) };
  return null;
}

/**
 * Which server a socket error came from. node-postgres and ioredis both report plain socket
 * errors; the port tells them apart when it is a well-known one, else the database is assumed
 * (Redis connection errors surface as ioredis's own messages once a command is attempted).
 */
function dependencyOfSocket(error: object): 'redis' | 'database' {
  const { port, message } = fieldsOf(error);
  if (port === 6379 || /:6379\b/.test(message)) return 'redis';
  return 'database';
}

function fieldsOf(error: object) {
  const value = error as Record<string, unknown>;
  return {
    code: typeof value.code === 'string' ? value.code : undefined,
    message: typeof value.message === 'string' ? value.message : '',
    name: typeof value.name === 'string' ? value.name : '',
    permanent: value.permanent,
    severity: typeof value.severity === 'string' ? value.severity : undefined,
    sqlState: typeof value.sqlState === 'string' ? value.sqlState : undefined,
    port: typeof value.port === 'number' ? value.port : undefined,
  };
}

/**
 * The error, its `cause`s, an AggregateError's members (Node's happy-eyeballs connect) and
 * the errors behind an aborted Redis transaction.
 */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 16) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || chain.includes(next)) continue;
    chain.push(next);
    const value = next as { cause?: unknown; errors?: unknown; previousErrors?: unknown };
    if (value.cause) queue.push(value.cause);
    if (Array.isArray(value.errors)) queue.push(...value.errors);
    // ioredis: an EXECABORT carries the errors that aborted the transaction (an OOM, say).
    if (Array.isArray(value.previousErrors)) queue.push(...value.previousErrors);
  }
  return chain;
}

/**
 * A one-line reason an operator can read: the message (or the first member's message of an
 * AggregateError, whose own message is often empty), with its code, never a stack or command.
 */
export function readableReason(error: unknown): string {
  for (const candidate of causeChain(error)) {
    const { message, code } = fieldsOf(candidate);
    if (message) {
      const firstLine = message.split('\n')[0] as string;
      const short = firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
      return code && !short.includes(code) ? `${code}: ${short}` : short;
    }
    if (code) return code;
  }
  if (typeof error === 'string' && error) return error;
  return error === undefined || error === null ? 'unknown error' : String(error) || 'unknown error';
}
