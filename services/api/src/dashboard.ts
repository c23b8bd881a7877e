import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { QueueMap } from '@sluice/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DASHBOARD_PATH = '/queues';

export interface DashboardOptions {
  queues: QueueMap;
  credentials?: { user: string; password: string } | null;
}

/**
 * Bull Board over every queue. With credentials it asks for them (basic auth) and allows
 * retries and removals; without them every queue is read-only.
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
      if (credentials) scope.addHook('onRequest', basicAuth(credentials.user, credentials.password));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of both user and password, via fixed-length digests. */
export function credentialsMatch(expectedUser: string, expectedPassword: string, header: string | undefined) {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, separator)), digest(expectedUser));
  const passwordOk = timingSafeEqual(digest(decoded.slice(separator + 1)), digest(expectedPassword));
  return userOk && passwordOk;
}

function basicAuth(user: string, password: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (credentialsMatch(user, password, request.headers.authorization)) return;
    await reply
      .header('www-authenticate', 'Basic realm="Sluice dashboard"')
      .code(401)
      .send('authentication required\n');
  };
}
