export { buildApp } from './app';
export { isAuthenticated, requireAuth, requireAuthForWrites } from './auth/index';
export {
  type ApiConfig,
  type ApiCredentials,
  apiCredentials,
  apiEnvSchema,
  dashboardCredentials,
} from './config';
export { credentialsMatch, DASHBOARD_PATH } from './dashboard';
export { exportRoutes } from './routes/export';
export { type StartedApi, startApi } from './server';
