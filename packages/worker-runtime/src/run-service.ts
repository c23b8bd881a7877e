import type { Server } from 'node:http';
import type { baseEnvSchema, z } from '@sluice/config';
import { startHealthServer } from './health-server';
import { CLOSE_BUDGET_MS, createRuntime, type Runtime } from './runtime';
import { type ServiceDefinition, type StartedService, startService } from './service';
import { onShutdownSignal } from './shutdown';
import { exitOnStartupError } from './startup-error';

/**
 * Runs one service as its own process: validated config, logger, connections, workers,
 * health endpoints, graceful shutdown. A service's main.ts is one call to this.
 */
export async function runService(service: ServiceDefinition, env?: z.ZodObject & typeof baseEnvSchema) {
  let runtime: Runtime;
  let started: StartedService;
  try {
    runtime = await createRuntime({ name: service.name, env, needsDatabase: service.needsDatabase });
    started = await startService(runtime, service);
  } catch (error) {
    exitOnStartupError(service.name, error);
  }
  let health: Server | undefined;
  if (runtime.config.HEALTH_PORT !== undefined) {
    health = await startHealthServer(runtime, runtime.config.HOST, runtime.config.HEALTH_PORT);
  }
  // The whole shutdown fits in SHUTDOWN_TIMEOUT_MS: workers get what closing connections leaves.
  const timeoutMs = runtime.config.SHUTDOWN_TIMEOUT_MS;
  onShutdownSignal(runtime.logger, timeoutMs, async () => {
    await started.stop(Math.max(0, timeoutMs - CLOSE_BUDGET_MS));
    health?.close();
    await runtime.close();
  });
  return { runtime, started };
}
