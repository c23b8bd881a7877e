import { runService } from '@sluice/worker-runtime';
import { extractorService } from './service';

await runService(extractorService);
