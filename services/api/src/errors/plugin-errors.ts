import type { FastifyReply, FastifyRequest } from 'fastify';
import { OUTAGE_RETRY_AFTER_S, outageReason } from './error-handler';
import { unavailableDependency } from './unavailable';

/**
 * For routes that answer their own errors instead of throwing (Bull Board sends a 500 with the
 * error's message): the same answers as the app's error handler, 503 with Retry-After for an
 * outage and a bare 500 otherwise, so no internal message leaves the API.
 */
export async function hidePluginErrors(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (reply.statusCode < 500) return payload;
  const text =
    typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON: classify the text as it is
  }
  const outage = unavailableDependency({ name: replyErrorName(message), message });
  reply.header('content-type', 'application/json; charset=utf-8');
  if (outage) {
    const reason = outageReason(outage, 'redis');
    request.log.warn({ err: { message: message.slice(0, 200) } }, `answered 503: ${reason}`);
    reply.code(503).header('retry-after', String(OUTAGE_RETRY_AFTER_S));
    return JSON.stringify({ error: `${reason}; try again shortly` });
  }
  request.log.error({ err: { message: message.slice(0, 200) } }, 'request failed');
  return JSON.stringify({ error: 'internal error', requestId: request.id });
}

/** Bull Board passes on a Redis error reply's text only; its first word tells an OOM or LOADING reply. */
const replyErrorName = (message: string) => (/^[A-Z]+ /.test(message) ? 'ReplyError' : 'Error');
