import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCredentials } from '../config';
import { authorizationValid } from './credentials';

export { authorizationValid, credentialsMatch, tokenMatches } from './credentials';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The user of an already-checked browser session (cookie and CSRF token). A hook that runs
     * before preHandler (onRequest, preParsing or preValidation) sets it; auth then lets the
     * request through.
     */
    sessionUser?: string;
  }
  interface FastifyContextConfig {
    /**
     * A write that proves itself another way and so needs no credentials: the sign-in form,
     * which checks the credentials it is given and its own CSRF token.
     */
    authExempt?: boolean;
    /**
     * Answers a refused write in the route's own form instead of the API's JSON 401/403: the
     * pages set it so a person's form gets a readable page (and no basic-auth prompt). Requests
     * carrying an Authorization header (scripts) are answered as the API always answers them.
     */
    refuseWrite?: (request: FastifyRequest, reply: FastifyReply) => unknown;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isLoopbackAddress = (address: string | undefined) =>
  !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

/** Whether the request proves who sent it: a session, a valid token, or valid basic auth. */
export function isAuthenticated(request: FastifyRequest, credentials: ApiCredentials | null): boolean {
  if (typeof request.sessionUser === 'string' && request.sessionUser.length > 0) return true;
  return credentials !== null && authorizationValid(credentials, request.headers.authorization);
}

/**
 * The API's one access rule, for every route and the dashboard alike. With credentials
 * configured, every write (POST, PUT, PATCH, DELETE) must carry them (or come with a checked
 * session), else 401. Without credentials, writes are taken from loopback only (403 otherwise).
 * A route with `refuseWrite` (the pages' forms) answers its own refusal when no Authorization
 * header was sent.
 */
export function requireAuthForWrites(credentials: ApiCredentials | null) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!WRITE_METHODS.has(request.method)) return;
    if (request.routeOptions.config?.authExempt) return;
    if (isAuthenticated(request, credentials)) return;
    if (!credentials && isLoopbackAddress(request.socket.remoteAddress)) return;
    const refuseWrite = request.routeOptions.config?.refuseWrite;
    if (refuseWrite && !request.headers.authorization) return refuseWrite(request, reply);
    if (!credentials) {
      return reply
        .code(403)
        .send({ error: 'writes are accepted from this machine only until API credentials are configured' });
    }
    return unauthorized(reply, credentials);
  };
}

/** A browser opening a page (not a script, not a page's own fetch). */
const isNavigation = (request: FastifyRequest) =>
  request.headers['sec-fetch-mode'] === 'navigate' || /\btext\/html\b/.test(request.headers.accept ?? '');

/**
 * Every request, reads included, must be authenticated (the dashboard with credentials set).
 * With `signInPath`, a person opening a page in a browser without credentials is sent to the
 * pages' sign-in form (one sign-in for everything) instead of a basic-auth prompt; scripts,
 * and requests that carry an Authorization header, get the 401 as before.
 */
export function requireAuth(credentials: ApiCredentials, signInPath?: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (isAuthenticated(request, credentials)) return;
    const signInFirst =
      signInPath && credentials.basic && request.method === 'GET' && !request.headers.authorization;
    if (signInFirst && isNavigation(request))
      return reply.redirect(`${signInPath}?next=${encodeURIComponent(request.url)}`, 303);
    return unauthorized(reply, credentials);
  };
}

function unauthorized(reply: FastifyReply, credentials: ApiCredentials) {
  return reply
    .code(401)
    .header('www-authenticate', credentials.basic ? 'Basic realm="Sluice"' : 'Bearer realm="Sluice"')
    .send({ error: 'authentication required' });
}

/** Installs the write rule on the whole app; call before any route is registered. */
export function installAuth(app: FastifyInstance, credentials: ApiCredentials | null) {
  app.addHook('preHandler', requireAuthForWrites(credentials));
}
