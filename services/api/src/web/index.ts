import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCredentials } from '../config';
import type { ApiContext } from '../context';
import { documentPage } from './pages/document-page';
import { feedPages } from './pages/feed-pages';
import { pipelinePage } from './pages/pipeline-page';
import { searchPage } from './pages/search-page';
import { signInPage } from './pages/sign-in-page';
import { storyPages } from './pages/story-pages';
import { registerSessionHook, SessionKeys } from './session';
import { pageContext, WEB_DIR, type WebState } from './views';
import { refusePageWrite, showError } from './web-auth';

export interface WebOptions {
  /** The API's credentials; without basic ones (DASHBOARD_USER/PASSWORD) the pages are read-only. */
  credentials: ApiCredentials | null;
}

/**
 * The pages for people: search at `/`, everything else under `/web/`. The session hook is
 * registered on the whole app (the write guard reads `request.sessionUser`); security headers,
 * form parsing and the pages themselves live in their own scope, away from the JSON API and Bull Board.
 */
export async function registerWeb(app: FastifyInstance, context: ApiContext, { credentials }: WebOptions) {
  const state: WebState = { keys: new SessionKeys(), writable: Boolean(credentials?.basic), credentials };
  await app.register(cookie);
  registerSessionHook(app, state.keys);
  await app.register(async (scope) => {
    // A page's form refused by the API's write guard gets a page (403), not the API's JSON 401.
    const refuseWrite = (request: FastifyRequest, reply: FastifyReply) =>
      refusePageWrite(request, reply, state);
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, refuseWrite };
    });
    await scope.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    });
    await scope.register(formbody);
    await scope.register(multipart, { limits: { files: 1, fileSize: 2 * 1024 * 1024 } });
    await scope.register(fastifyStatic, {
      root: join(WEB_DIR, 'static'),
      prefix: '/web/static/',
      maxAge: 3_600_000,
    });
    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'page failed');
      const page = pageContext(request, state, 'Error', 'search');
      return showError(
        reply,
        page,
        status,
        status >= 500 ? 'Something went wrong' : 'Bad request',
        status >= 500 ? 'The page could not be built; the error is in the API log.' : error.message,
      );
    });
    searchPage(scope, context, state);
    documentPage(scope, context, state);
    storyPages(scope, context, state);
    feedPages(scope, context, state);
    pipelinePage(scope, context, state);
    signInPage(scope, state, credentials?.basic ?? null);
  });
}
