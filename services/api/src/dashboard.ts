import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { QueueMap } from '@sluice/contracts';
import type { FastifyInstance } from 'fastify';
import { requireAuth } from './auth/index';
import type { ApiCredentials } from './config';
import { hidePluginErrors } from './errors/plugin-errors';

export { credentialsMatch } from './auth/index';

export const DASHBOARD_PATH = '/queues';

export interface DashboardOptions {
  queues: QueueMap;
  credentials?: ApiCredentials | null;
}

/**
 * Bull Board over every queue. With credentials it asks for them (the API's own check: basic
 * auth, token or session) and allows retries and removals; without them every queue is
 * read-only. Its actions are writes, so the app-wide write rule guards them too.
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
      if (credentials) scope.addHook('preHandler', requireAuth(credentials));
      scope.addHook('onSend', hidePluginErrors);
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}
