import { readinessProblems, renderJobMetrics } from '@sluice/worker-runtime';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RouteModule } from './index';

export const healthRoutes: RouteModule = (app, context) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, labels: { service: 'api' } });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_, reply) => {
    const problems = await readinessProblems(context);
    return reply.code(problems.length ? 503 : 200).send({ ready: problems.length === 0, problems });
  });

  app.get('/metrics', async (_, reply) => {
    const body = (await registry.metrics()) + (await renderJobMetrics(context.redis, context.queues));
    return reply.type(registry.contentType).send(body);
  });
};
