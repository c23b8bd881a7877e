import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCredentials } from '../config';
import type { SessionKeys } from './session';

const here = dirname(fileURLToPath(import.meta.url));
/** Beside this file in the source tree; under `web/` beside the bundle in a production image. */
export const WEB_DIR = existsSync(join(here, 'templates')) ? here : join(here, 'web');

const eta = new Eta({
  views: join(WEB_DIR, 'templates'),
  // `<%= %>` escapes; raw output (`<%~ %>`) is used only for other templates and pre-escaped snippets.
  autoEscape: true,
  cache: process.env.NODE_ENV !== 'development',
});

/** What every page's header needs: who is signed in, whether writes are possible, the CSRF token. */
export interface PageContext {
  title: string;
  nav: 'search' | 'stories' | 'feeds' | 'pipeline' | 'sign-in' | 'document';
  user: string | null;
  /** Credentials are configured, so signing in (and writing) is possible. */
  writable: boolean;
  /** Append to a form's action: `?csrf=...` for the signed-in session. */
  csrf: string;
  /** This page's path and query, to come back to after signing in. */
  path: string;
}

export interface WebState {
  keys: SessionKeys;
  /** Basic credentials are configured, so people can sign in and write. */
  writable: boolean;
  /** The API's credentials: scripts may use the pages' forms with them too. */
  credentials: ApiCredentials | null;
}

export function pageContext(
  request: FastifyRequest,
  state: WebState,
  title: string,
  nav: PageContext['nav'],
): PageContext {
  const session = request.webSession;
  return {
    title,
    nav,
    user: request.sessionUser ?? null,
    writable: state.writable,
    csrf: session ? state.keys.csrfToken(session.nonce) : '',
    path: request.method === 'GET' ? request.url : '/',
  };
}

export function renderPage(
  reply: FastifyReply,
  template: string,
  page: PageContext,
  data: Record<string, unknown>,
  status = 200,
) {
  const html = eta.render(template, { ...data, page, fmt: formatters });
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Display helpers the templates call as `it.fmt.*`. */
export const formatters = {
  time: (iso: string | null | undefined) => (iso ? `${dateTime.format(new Date(iso))} UTC` : '—'),
  date: (iso: string | null | undefined) => (iso ? dateOnly.format(new Date(iso)) : '—'),
  /** "3 hours ago", "in 5 minutes". */
  ago: (iso: string | null | undefined, now = Date.now()) => {
    if (!iso) return '—';
    const seconds = (new Date(iso).getTime() - now) / 1000;
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ['day', 86_400],
      ['hour', 3_600],
      ['minute', 60],
    ];
    for (const [unit, size] of units)
      if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
    return relative.format(Math.round(seconds), 'second');
  },
  number: (value: number) => value.toLocaleString('en-GB'),
  plural: (count: number, one: string, many = `${one}s`) =>
    `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`,
  /** The host of a URL, for compact display. */
  host: (url: string | null | undefined) => {
    try {
      return url ? new URL(url).host : '';
    } catch {
      return '';
    }
  },
  /** A link target only for http(s) URLs, so a stored `javascript:` URL is never clickable. */
  safeHref: (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null),
  /** A query string from parameters, skipping empty ones. */
  query: (params: Record<string, string | number | boolean | null | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined && value !== null && value !== '' && value !== false)
        search.set(key, String(value));
    const text = search.toString();
    return text ? `?${text}` : '';
  },
};
