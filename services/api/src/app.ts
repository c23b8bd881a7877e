import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type ApiConfig, dashboardCredentials } from './config';
import type { ApiContext } from './context';
import { registerDashboard } from './dashboard';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { routeModules } from './routes/index';
import { registerWeb } from './web/index';

/** The HTTP API: every route module plus the dashboard, on one Fastify instance. */
export async function buildApp(context: ApiContext, config: ApiConfig): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in typing; the instance is the same.
    loggerInstance: context.logger as unknown as FastifyBaseLogger,
    bodyLimit: config.API_BODY_LIMIT_BYTES,
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ error: error.message });
  });
  await registerWeb(app, context, { credentials: dashboardCredentials(config) });
  for (const register of [healthRoutes, documentRoutes, ...routeModules]) await register(app, context);
  await registerDashboard(app, { queues: context.queues, credentials: dashboardCredentials(config) });
  return app;
}
