import { runService } from '@sluice/worker-runtime';
import { fetcherEnvSchema, fetcherService } from './service';

await runService(fetcherService, fetcherEnvSchema);
