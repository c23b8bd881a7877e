import { loadConfig, z } from '@sluice/config';

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

/**
 * Webhook settings. Receivers are reached through the fetcher's guard: public addresses on
 * ports 80 and 443 only, unless listed here. These are separate from FETCH_ALLOW_PRIVATE so that
 * opening an intranet feed does not also let subscriptions point into that intranet.
 */
export const webhookEnvSchema = z.object({
  /** Hostnames, `.suffix`, IPs or CIDRs receivers may have although not public (e.g. 127.0.0.1). */
  WEBHOOK_ALLOW_PRIVATE: list,
  /** Receiver ports allowed besides 80 and 443. */
  WEBHOOK_ALLOWED_PORTS: list.pipe(z.array(z.string().regex(/^\d+$/, 'ports are numbers').transform(Number))),
  /** Time for one delivery attempt, connect to response. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Attempts per delivery before it is logged as failed. */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** First retry delay; doubles each attempt up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(15 * 60_000),
  /** Days a finished delivery stays in the log. */
  WEBHOOK_LOG_DAYS: z.coerce.number().int().min(1).default(30),
});

export interface WebhookSettings {
  allowPrivateHosts: string[];
  allowedPorts: number[];
  timeoutMs: number;
  attempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  logDays: number;
}

/** Settings from the environment; a bad value throws a ConfigError naming it. */
export function webhookSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): WebhookSettings {
  const config = loadConfig(webhookEnvSchema, env);
  return {
    allowPrivateHosts: config.WEBHOOK_ALLOW_PRIVATE,
    allowedPorts: config.WEBHOOK_ALLOWED_PORTS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    attempts: config.WEBHOOK_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
    logDays: config.WEBHOOK_LOG_DAYS,
  };
}
