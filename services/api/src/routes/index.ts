import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';

/** A route module: registers its routes on the app. One file per resource. */
export type RouteModule = (app: FastifyInstance, context: ApiContext) => void | Promise<void>;

/** Every route module the API serves. Add a module here to expose it. */
export const routeModules: RouteModule[] = [];
