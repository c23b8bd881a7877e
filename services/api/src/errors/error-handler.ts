import type { RedisClient } from '@sluice/worker-runtime';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Dependency, type Unavailable, unavailableDependency } from './unavailable';

/**
 * Fastify's own refusals before routing (an over-long path parameter, a malformed URL): the
 * status it chose, and its message cut short (it quotes the whole path otherwise).
 */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const reason =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is too long'
      : shorten(error.message.split(':')[0] ?? 'bad request');
  return reply.code(status).send({ error: reason });
}

/** Seconds a client is asked to wait before trying again while a dependency is down. */
export const OUTAGE_RETRY_AFTER_S = 5;

const MAX_MESSAGE = 200;

/**
 * The one error handler: outages are 503 with Retry-After, client errors keep their own short
 * message, everything else is a bare 500. Internals (SQL, Redis commands and their arguments,
 * stack traces) never reach the client, and the log gets a bounded summary, never an error's
 * own properties (an ioredis ReplyError carries the whole command, document body included).
 */
export function installErrorHandler(app: FastifyInstance, redis: Pick<RedisClient, 'status'>) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const outage = unavailableDependency(error);
    if (outage) {
      const reason = outageReason(outage, redis.status === 'ready' ? 'database' : 'redis');
      request.log.warn(
        { err: errorSummary(error), dependency: outage.dependency },
        `answered 503: ${reason}`,
      );
      return reply
        .code(503)
        .header('retry-after', String(OUTAGE_RETRY_AFTER_S))
        .send({ error: `${reason}; try again shortly` });
    }
    if (error.name === 'ZodError') return reply.code(400).send({ error: zodMessage(error) });
    // PostgreSQL data exceptions (a date or number out of range, a malformed value) come from
    // values a client sent that the route's checks let through.
    if (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code) && !error.statusCode) {
      request.log.warn({ err: errorSummary(error) }, 'answered 400: the database refused a value');
      return reply.code(400).send({ error: 'a parameter is out of range or malformed' });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) return reply.code(status).send({ error: shorten(error.message) });
    request.log.error({ err: errorSummary(error) }, 'request failed');
    return reply.code(500).send({ error: 'internal error', requestId: request.id });
  });
}

/** The short reason for an outage; `guess` names the dependency when the error does not. */
export function outageReason(outage: Unavailable, guess: Dependency): string {
  if (outage.full) return 'Redis is out of memory';
  return (outage.dependency ?? guess) === 'redis' ? 'Redis is unavailable' : 'the database is unavailable';
}

/** What is safe to log about an error: its type, code and the start of its message. */
export function errorSummary(error: unknown) {
  const { name, message, code, stack } = error as {
    name?: string;
    message?: string;
    code?: unknown;
    stack?: string;
  };
  // `name`, not `type`: pino's error serializer replaces `type` with the constructor's name.
  return {
    name: name ?? typeof error,
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    message: shorten(String(message ?? error)),
    stack: stack?.split('\n').slice(1, 6).join('\n'),
  };
}

const shorten = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

function zodMessage(error: unknown) {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  return shorten(
    issues
      .map((issue) => [issue.path.map(String).join('.'), issue.message].filter(Boolean).join(': '))
      .join('; ') || 'invalid input',
  );
}
