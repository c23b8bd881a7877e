import { createRuntime, exitOnStartupError, onShutdownSignal } from '@sluice/worker-runtime';
import { apiEnvSchema } from './config';
import { startApi } from './server';

try {
  const runtime = await createRuntime({ name: 'api', env: apiEnvSchema, needsDatabase: true });
  const api = await startApi(runtime);
  onShutdownSignal(runtime.logger, runtime.config.SHUTDOWN_TIMEOUT_MS, async () => {
    await api.stop();
    await runtime.close();
  });
} catch (error) {
  exitOnStartupError('api', error);
}
