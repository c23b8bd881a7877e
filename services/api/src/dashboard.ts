import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { QueueMap } from '@sluice/contracts';
import type { FastifyInstance } from 'fastify';
import { requireAuth } from './auth/index';
import type { ApiCredentials } from './config';
import { hidePluginErrors } from './errors/plugin-errors';
import { sentFromThisOrigin } from './web/session';

export { credentialsMatch } from './auth/index';

export const DASHBOARD_PATH = '/queues';

export interface DashboardOptions {
  queues: QueueMap;
  credentials?: ApiCredentials | null;
}

/** Where a person without credentials is sent to sign in (the pages' form). */
const SIGN_IN_PATH = '/web/sign-in';

/**
 * Bull Board over every queue. With credentials it asks for them (the API's own check: basic
 * auth, token or the pages' session) and allows retries and removals; without them every queue
 * is read-only. Its actions are writes, so the app-wide write rule guards them too. A person
 * signed in on the pages opens it with that session; one who is not is sent to sign in.
 */
export async function registerDashboard(app: FastifyInstance, { queues, credentials }: DashboardOptions) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue, { readOnlyMode: !credentials })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Sluice' } },
  });
  await app.register(
    async (scope) => {
      // Bull Board's own requests cannot carry the pages' CSRF token: a signed-in session's writes
      // are taken when the browser says they came from this origin (the session cookie is
      // SameSite=Lax as well).
      scope.addHook('onRequest', async (request) => {
        const user = request.webSession?.user;
        if (user && !request.sessionUser && sentFromThisOrigin(request)) request.sessionUser = user;
      });
      if (credentials) scope.addHook('preHandler', requireAuth(credentials, SIGN_IN_PATH));
      scope.addHook('onSend', hidePluginErrors);
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}
