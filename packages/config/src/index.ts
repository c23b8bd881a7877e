import { z } from 'zod';

export { z };

/** Variables every service reads. Services extend this with their own. */
export const baseEnvSchema = z.object({
  REDIS_URL: z.string().url().optional(),
  /** Seed nodes of a Redis Cluster, `host:port,host:port`; when set, used instead of REDIS_URL. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^,\s]+:\d{1,5}\s*(,\s*[^,\s]+:\d{1,5}\s*)*$/, 'expected host:port[,host:port...]')
    .optional(),
  DATABASE_URL: z.string().url().optional(),
  SLUICE_DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Port for a worker's /healthz and /metrics; 0 picks a free one, unset disables it. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  /**
   * Unfinished jobs per document stage past which producers back off: submissions answer 503,
   * feed and sitemap polls wait. 0 turns it off. Sized with infra/redis.conf's maxmemory
   * (contracts' BACKLOG_LIMIT).
   */
  SLUICE_MAX_BACKLOG: z.coerce.number().int().min(0).default(5_000),
  /** How long to wait at start for Redis and the database to answer; 0 waits for ever. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(0),
});

export type BaseConfig = z.infer<typeof baseEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a schema. On failure throws one ConfigError that names
 * every bad variable at once, so an operator fixes them all in one go.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings mean "unset": compose files often pass `VAR=` through.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = cleaned[String(issue.path[0])];
    return `${name}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new ConfigError(problems);
}
