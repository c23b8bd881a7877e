import { exportRoutes } from './export';
import type { RouteModule } from './index';

/** Getting data out of Sluice: the NDJSON export. */
export const dataOutRoutes: RouteModule[] = [exportRoutes];
