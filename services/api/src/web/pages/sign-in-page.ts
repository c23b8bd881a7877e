import type { FastifyInstance } from 'fastify';
import { credentialsMatch } from '../../dashboard';
import { setSessionCookie } from '../session';
import { pageContext, renderPage, type WebState } from '../views';

/** Where to go after signing in: a path on this site only, never another origin. */
const localPath = (value: unknown) =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : '/';

/**
 * `/web/sign-in`: the dashboard's credentials (DASHBOARD_USER/DASHBOARD_PASSWORD) for a session
 * cookie. Showing the form starts an anonymous session, so even the sign-in post carries a CSRF
 * token; signing in issues a fresh session (new nonce) rather than upgrading the old one.
 */
export function signInPage(
  app: FastifyInstance,
  state: WebState,
  credentials: { user: string; password: string } | null,
) {
  app.get('/web/sign-in', async (request, reply) => {
    let nonce = request.webSession?.nonce;
    if (!nonce) {
      const sealed = state.keys.seal(null);
      setSessionCookie(request, reply, sealed);
      nonce = state.keys.open(sealed)?.nonce;
    }
    const page = pageContext(request, state, 'Sign in', 'sign-in');
    page.csrf = state.keys.csrfToken(nonce as string);
    const next = localPath((request.query as { next?: unknown }).next);
    return renderPage(reply, 'sign-in', page, { next, writable: Boolean(credentials), failed: false });
  });

  // The form carries the credentials themselves (and its CSRF token): the write guard lets it by.
  app.post('/web/sign-in', { config: { authExempt: true } }, async (request, reply) => {
    const page = pageContext(request, state, 'Sign in', 'sign-in');
    const body = (request.body ?? {}) as { user?: unknown; password?: unknown; next?: unknown };
    const next = localPath(body.next);
    if (!credentials)
      return renderPage(reply, 'sign-in', page, { next, writable: false, failed: false }, 403);
    if (!request.webSession?.csrfOk)
      return renderPage(reply, 'sign-in', page, { next, writable: true, failed: 'expired' }, 403);
    const header = `Basic ${Buffer.from(`${String(body.user ?? '')}:${String(body.password ?? '')}`).toString('base64')}`;
    if (!credentialsMatch(credentials.user, credentials.password, header))
      return renderPage(reply, 'sign-in', page, { next, writable: true, failed: 'wrong' }, 401);
    setSessionCookie(request, reply, state.keys.seal(credentials.user));
    return reply.redirect(next, 303);
  });

  app.post('/web/sign-out', { config: { authExempt: true } }, async (request, reply) => {
    if (request.webSession?.csrfOk) setSessionCookie(request, reply, null);
    return reply.redirect('/', 303);
  });
}
