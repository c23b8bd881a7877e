/**
 * Errors that mean a backing service (Redis or PostgreSQL) is down, full or restarting rather
 * than that the request was wrong: the API answers them with 503 and Retry-After.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Redis replies that mean "not now": out of memory, loading, failing over, busy. */
const REDIS_TRANSIENT_REPLY = /^(OOM|LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/;

const REDIS_CLIENT_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
];

const PG_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

export type Dependency = 'redis' | 'database';

export interface Unavailable {
  /** The service that failed, when the error says; null for a bare network error. */
  dependency: Dependency | null;
  /** Redis is up but full (maxmemory with noeviction). */
  full: boolean;
}

/** What kind of outage an error reports, or null when it is not one. */
export function unavailableDependency(error: unknown): Unavailable | null {
  if (!error || typeof error !== 'object') return null;
  const { name, message = '', code } = error as { name?: string; message?: string; code?: unknown };
  if (name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(message)) {
    return { dependency: 'redis', full: message.startsWith('OOM') };
  }
  if (name === 'MaxRetriesPerRequestError' || REDIS_CLIENT_MESSAGES.some((m) => message.includes(m))) {
    return { dependency: 'redis', full: false };
  }
  // SQLSTATE 08 connection exceptions, 57P01-03 shutdown / cannot connect now, 53300 too many clients.
  if (typeof code === 'string' && /^(08...|57P0[1-3]|53300)$/.test(code)) {
    return { dependency: 'database', full: false };
  }
  if (PG_CLIENT_MESSAGES.some((m) => message.includes(m))) return { dependency: 'database', full: false };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { dependency: null, full: false };
  // Node's connection attempts to several addresses fail as one AggregateError.
  const nested = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const found = unavailableDependency(inner);
      if (found) return found;
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause && cause !== error ? unavailableDependency(cause) : null;
}
