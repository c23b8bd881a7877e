import { runService } from '@sluice/worker-runtime';
import { indexerService } from './service';

await runService(indexerService);
