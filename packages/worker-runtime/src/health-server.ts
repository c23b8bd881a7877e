import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { renderJobMetrics } from './job-metrics';
import type { Runtime } from './runtime';

/** Answers /healthz (alive), /readyz (Redis and the index reachable) and /metrics for a worker. */
export async function startHealthServer(runtime: Runtime, host: string, port: number): Promise<Server> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, labels: { service: runtime.name } });
  const server = createServer(async (request, response) => {
    try {
      if (request.url === '/healthz') return send(response, 200, 'ok\n');
      if (request.url === '/readyz') {
        const problems = await readinessProblems(runtime);
        return send(
          response,
          problems.length ? 503 : 200,
          problems.length ? `${problems.join('\n')}\n` : 'ready\n',
        );
      }
      if (request.url === '/metrics') {
        const body = (await registry.metrics()) + (await renderJobMetrics(runtime.redis, runtime.queues));
        return send(response, 200, body, registry.contentType);
      }
      send(response, 404, 'not found\n');
    } catch (error) {
      send(response, 500, `${String(error)}\n`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  runtime.logger.info({ port: (server.address() as AddressInfo).port }, 'health server listening');
  return server;
}

/** What keeps the service from being ready: each unreachable dependency, named. */
export async function readinessProblems(runtime: Pick<Runtime, 'redis' | 'db'>): Promise<string[]> {
  const problems: string[] = [];
  try {
    await withTimeout(runtime.redis.ping(), 2_000);
  } catch (error) {
    problems.push(`redis: ${(error as Error).message}`);
  }
  if (runtime.db) {
    try {
      await withTimeout(runtime.db.query('SELECT 1'), 2_000);
    } catch (error) {
      problems.push(`database: ${(error as Error).message}`);
    }
  }
  return problems;
}

function send(
  response: import('node:http').ServerResponse,
  status: number,
  body: string,
  type = 'text/plain',
) {
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
