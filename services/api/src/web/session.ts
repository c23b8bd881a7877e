import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, when a session cookie (and, for writes, its CSRF token) checked out. */
    sessionUser?: string;
    /** The browser session behind the request, signed in or not (see `readSession`). */
    webSession?: WebSession;
  }
}

export const SESSION_COOKIE = 'sluice_session';
const SESSION_HOURS = 12;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A browser's session: anonymous (user null) until sign-in; `nonce` keys its CSRF token. */
export interface WebSession {
  user: string | null;
  nonce: string;
  /** True when the request carried this session's CSRF token (header or `csrf` query field). */
  csrfOk: boolean;
}

interface SessionPayload {
  u: string | null;
  n: string;
  /** Expiry, epoch ms. */
  e: number;
}

/**
 * Signed session cookies and CSRF tokens. The cookie holds the user and a nonce, signed with a
 * key that lives only in this process (a restart signs everyone out). The CSRF token is an HMAC
 * of the nonce: forms carry it in their action's query string, so it is checked in `onRequest`,
 * before any body is read, and a cross-site form cannot know it.
 */
export class SessionKeys {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private mac(purpose: string, value: string) {
    return createHmac('sha256', this.key).update(`${purpose}\n${value}`).digest('base64url');
  }

  seal(user: string | null, nonce = randomBytes(16).toString('base64url')): string {
    const payload: SessionPayload = { u: user, n: nonce, e: Date.now() + SESSION_HOURS * 3_600_000 };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac('session', body)}`;
  }

  open(cookie: string | undefined): { user: string | null; nonce: string } | null {
    if (!cookie) return null;
    const [body, signature] = cookie.split('.');
    if (!body || !signature || !sameText(signature, this.mac('session', body))) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionPayload;
      if (typeof payload.n !== 'string' || typeof payload.e !== 'number' || payload.e < Date.now())
        return null;
      return { user: typeof payload.u === 'string' ? payload.u : null, nonce: payload.n };
    } catch {
      return null;
    }
  }

  csrfToken(nonce: string): string {
    return this.mac('csrf', nonce);
  }

  csrfMatches(nonce: string, token: unknown): boolean {
    return typeof token === 'string' && sameText(token, this.csrfToken(nonce));
  }
}

function sameText(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Reads the session cookie on every request. A signed-in session sets `request.sessionUser`,
 * which the write guard accepts; for a write (any unsafe method) only when the request also
 * carries the session's CSRF token, so another site cannot borrow the cookie.
 */
export function registerSessionHook(app: FastifyInstance, keys: SessionKeys) {
  app.addHook('onRequest', async (request) => {
    const session = keys.open(request.cookies[SESSION_COOKIE]);
    if (!session) return;
    const token = request.headers['x-csrf-token'] ?? (request.query as { csrf?: unknown } | undefined)?.csrf;
    const csrfOk = keys.csrfMatches(session.nonce, token);
    request.webSession = { ...session, csrfOk };
    if (session.user && (SAFE_METHODS.has(request.method) || csrfOk)) request.sessionUser = session.user;
  });
}

/**
 * Whether a browser sent this request from a page of this same origin: `Sec-Fetch-Site` where
 * the browser sends it, else its `Origin` against the Host. A page of another site can forge
 * neither, so for requests that cannot carry the CSRF token (Bull Board's own) this stands in
 * for it.
 */
export function sentFromThisOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Sets (or, with null, clears) the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string | null) {
  reply.setCookie(SESSION_COOKIE, value ?? '', {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: value === null ? 0 : SESSION_HOURS * 3600,
  });
}
