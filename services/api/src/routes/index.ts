import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { dataOutRoutes as dataOut } from './data-out';
import { documentStatusRoutes } from './document-status';
import { entityRoutes } from './entities';
import { feedRoutes } from './feeds';
import { searchRoutes } from './search';
import { statusRoutes } from './status';
import { storyRoutes } from './stories';

/** A route module: registers its routes on the app. One file per resource. */
export type RouteModule = (app: FastifyInstance, context: ApiContext) => void | Promise<void>;

/** Every route module the API serves. Add a module here to expose it. */
export const routeModules: RouteModule[] = [
  searchRoutes,
  storyRoutes,
  entityRoutes,
  feedRoutes,
  statusRoutes,
  documentStatusRoutes,
  ...dataOut,
];
