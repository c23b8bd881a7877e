import type { FastifyInstance } from 'fastify';
import { findMalformedText } from './well-formed';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Body fields holding document content: cleaned by the route, not refused at the door. */
    contentFields?: readonly string[];
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Refuses NUL bytes and unpaired surrogates in query strings, route parameters and JSON bodies
 * with a 400 before any handler runs. A raw text body is content, so its route cleans it.
 */
export function installInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request, reply) => {
    const contentFields = request.routeOptions.config?.contentFields;
    const free = contentFields ? new Set(contentFields) : NONE;
    const found =
      findMalformedText(request.query, 'query', NONE) ??
      findMalformedText(request.params, 'path', NONE) ??
      (typeof request.body === 'object' ? findMalformedText(request.body, 'body', free) : null);
    if (found) return reply.code(400).send({ error: found });
  });
}
