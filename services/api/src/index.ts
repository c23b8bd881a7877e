export { buildApp } from './app';
export { type ApiConfig, apiEnvSchema, dashboardCredentials } from './config';
export { credentialsMatch, DASHBOARD_PATH } from './dashboard';
export { exportRoutes } from './routes/export';
export { type StartedApi, startApi } from './server';
