import type { FastifyReply, FastifyRequest } from 'fastify';
import { type PageContext, pageContext, renderPage, type WebState } from './views';

export function showError(
  reply: FastifyReply,
  page: PageContext,
  status: number,
  heading: string,
  message: string,
  signIn = false,
) {
  page.title = heading;
  return renderPage(reply, 'error', page, { heading, message, signIn }, status);
}

/**
 * Every write a page makes passes here first: it needs a signed-in session whose CSRF token the
 * request carried (the session hook sets `sessionUser` only then). Answers and returns true when
 * the write is refused.
 */
export function refuseUnlessSignedIn(request: FastifyRequest, reply: FastifyReply, state: WebState): boolean {
  if (request.sessionUser) return false;
  const page = pageContext(request, state, 'Not allowed', 'sign-in');
  if (!state.writable) {
    void showError(
      reply,
      page,
      403,
      'Read-only',
      'Changes need DASHBOARD_USER and DASHBOARD_PASSWORD to be configured.',
    );
  } else if (request.webSession?.user) {
    void showError(
      reply,
      page,
      403,
      'Form expired',
      'This form was not sent from this session. Reload the page and try again.',
    );
  } else {
    void showError(reply, page, 401, 'Sign in first', 'Changes need a signed-in editor.', true);
  }
  return true;
}
