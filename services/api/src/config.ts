import { baseEnvSchema, z } from '@sluice/config';

export const apiEnvSchema = baseEnvSchema.extend({
  /**
   * A read replica of DATABASE_URL (PostgreSQL streaming replication): the read-only routes go
   * there, writes stay on DATABASE_URL. Only the API reads it; the workers write.
   */
  DATABASE_READ_URL: z.string().url().optional(),
  DASHBOARD_USER: z.string().min(1).optional(),
  DASHBOARD_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** A bearer token for scripts and the CLI (`Authorization: Bearer ...`). */
  SLUICE_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Largest request body accepted by POST /documents. */
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(6 * 1024 * 1024),
  /** A client has this long to send a request's headers (slow-trickle clients are cut off). */
  API_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** ...and this long to send the whole request, body included. */
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** A connection silent this long is closed. */
  API_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Documents waiting in one stage beyond which `POST /documents` answers 503; 0 for no limit. */
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

export const isLoopbackHost = (host: string) =>
  host === 'localhost' || host === '::1' || host.startsWith('127.');

/** The configured ways in: basic-auth user and password, a bearer token, or both. */
export interface ApiCredentials {
  basic: { user: string; password: string } | null;
  token: string | null;
}

type CredentialsConfig = Pick<
  ApiConfig,
  'HOST' | 'DASHBOARD_USER' | 'DASHBOARD_PASSWORD' | 'SLUICE_API_TOKEN'
>;

/**
 * The API's credentials, or null when none are set. Without them writes are taken from
 * loopback only and the dashboard is read-only, so the server must not listen beyond loopback.
 */
export function apiCredentials(config: CredentialsConfig): ApiCredentials | null {
  if (Boolean(config.DASHBOARD_USER) !== Boolean(config.DASHBOARD_PASSWORD)) {
    throw new Error('DASHBOARD_USER and DASHBOARD_PASSWORD must be set together');
  }
  const basic =
    config.DASHBOARD_USER && config.DASHBOARD_PASSWORD
      ? { user: config.DASHBOARD_USER, password: config.DASHBOARD_PASSWORD }
      : null;
  const token = config.SLUICE_API_TOKEN ?? null;
  if (basic || token) return { basic, token };
  if (!isLoopbackHost(config.HOST)) {
    throw new Error(
      `refusing to listen on ${config.HOST} without DASHBOARD_USER and DASHBOARD_PASSWORD ` +
        '(or SLUICE_API_TOKEN): set them, or listen on 127.0.0.1',
    );
  }
  return null;
}

/** The dashboard's basic-auth credentials, or null; throws like `apiCredentials`. */
export function dashboardCredentials(config: CredentialsConfig) {
  return apiCredentials(config)?.basic ?? null;
}
