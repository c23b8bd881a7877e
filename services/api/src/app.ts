import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installAuth } from './auth/index';
import { backlogGuard } from './backpressure';
import { type ApiConfig, apiCredentials } from './config';
import type { ApiContext } from './context';
import { registerDashboard } from './dashboard';
import { frameworkError, installErrorHandler } from './errors/error-handler';
import { installInputGuard } from './input/guard';
import { watchQueueErrors } from './queue-errors';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { routeModules } from './routes/index';
import { registerWeb } from './web/index';

/** The HTTP API: every route module plus the dashboard, on one Fastify instance. */
export async function buildApp(context: ApiContext, config: ApiConfig): Promise<FastifyInstance> {
  const headersTimeout = Math.min(config.API_HEADERS_TIMEOUT_MS, config.API_REQUEST_TIMEOUT_MS);
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in typing; the instance is the same.
    loggerInstance: context.logger as unknown as FastifyBaseLogger,
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    frameworkErrors: frameworkError,
    requestTimeout: config.API_REQUEST_TIMEOUT_MS,
    connectionTimeout: config.API_IDLE_TIMEOUT_MS,
    // Node checks header and request deadlines on an interval (30 s by default): check often
    // enough that a slow-trickle client is cut off close to its deadline.
    http: {
      headersTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
  });
  const credentials = apiCredentials(config);
  watchQueueErrors(context.queues, context.logger);
  installErrorHandler(app, context.redis);
  installAuth(app, credentials);
  installInputGuard(app);
  const routeContext = {
    ...context,
    backlog: context.backlog ?? backlogGuard(context.queues, config.SLUICE_MAX_BACKLOG),
  };
  await registerWeb(app, routeContext, { credentials });
  for (const register of [healthRoutes, documentRoutes, ...routeModules]) await register(app, routeContext);
  await registerDashboard(app, { queues: context.queues, credentials });
  return app;
}
