import { exportRoutes } from './export';
import type { RouteModule } from './index';
import { webhookRoutes } from './webhooks';

/** Getting data out of Sluice: the NDJSON export and webhooks. */
export const dataOutRoutes: RouteModule[] = [exportRoutes, webhookRoutes];
