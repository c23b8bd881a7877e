import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAuthenticated } from '../auth/index';
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
 * A page's write that proves nothing, answered as a page (403) rather than the API's JSON 401
 * with its basic-auth challenge: a person gets words and a way on, not a password prompt. The
 * API's write guard calls it for the pages' routes (`refuseWrite`) when no Authorization header
 * was sent.
 */
export function refusePageWrite(request: FastifyRequest, reply: FastifyReply, state: WebState) {
  const page = pageContext(request, state, 'Not allowed', 'sign-in');
  if (!state.writable)
    return showError(
      reply,
      page,
      403,
      'Read-only',
      'Changes need DASHBOARD_USER and DASHBOARD_PASSWORD to be configured.',
    );
  if (request.webSession?.user) {
    // Still signed in (only this form's token failed): the header says so.
    page.user = request.webSession.user;
    return showError(
      reply,
      page,
      403,
      'Form expired',
      'This form was not sent from this session: its security token is missing or out of date. Go back, reload the page and try again.',
    );
  }
  return showError(reply, page, 403, 'Sign in first', 'Changes need a signed-in editor.', true);
}

/**
 * Every write a page makes passes here too: a signed-in session whose CSRF token the request
 * carried (the session hook sets `sessionUser` only then), or a script's basic or bearer
 * credentials. Answers and returns true when the write is refused.
 */
export function refuseUnlessSignedIn(request: FastifyRequest, reply: FastifyReply, state: WebState): boolean {
  if (state.writable && isAuthenticated(request, state.credentials)) return false;
  void refusePageWrite(request, reply, state);
  return true;
}
