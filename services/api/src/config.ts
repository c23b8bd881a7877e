import { baseEnvSchema, z } from '@sluice/config';

export const apiEnvSchema = baseEnvSchema.extend({
  DASHBOARD_USER: z.string().min(1).optional(),
  DASHBOARD_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Largest request body accepted by POST /documents. */
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(6 * 1024 * 1024),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * The dashboard's credentials, or null when none are set. Without them the dashboard is
 * read-only and unguarded, so the server must not be reachable from other machines.
 */
export function dashboardCredentials(
  config: Pick<ApiConfig, 'HOST' | 'DASHBOARD_USER' | 'DASHBOARD_PASSWORD'>,
) {
  if (Boolean(config.DASHBOARD_USER) !== Boolean(config.DASHBOARD_PASSWORD)) {
    throw new Error('DASHBOARD_USER and DASHBOARD_PASSWORD must be set together');
  }
  if (config.DASHBOARD_USER && config.DASHBOARD_PASSWORD) {
    return { user: config.DASHBOARD_USER, password: config.DASHBOARD_PASSWORD };
  }
  if (!isLoopback(config.HOST)) {
    throw new Error(
      `refusing to listen on ${config.HOST} without DASHBOARD_USER and DASHBOARD_PASSWORD: ` +
        'set them, or listen on 127.0.0.1',
    );
  }
  return null;
}
