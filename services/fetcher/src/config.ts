import { baseEnvSchema, z } from '@sluice/config';

export const fetcherEnvSchema = baseEnvSchema.extend({
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(20_000),
  FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(5 * 1024 * 1024),
  /** Hosts or CIDRs the fetcher may reach although private (intranet deployments, the demo feed). */
  FETCH_ALLOW_PRIVATE: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  SLUICE_USER_AGENT: z.string().default('SluiceBot/0.1 (+https://github.com/sluice-news/sluice)'),
});

export type FetcherConfig = z.infer<typeof fetcherEnvSchema>;
