import { baseEnvSchema, type z } from '@sluice/config';
import { feedEnvSchema } from '@sluice/feeds';

/** The fetcher's environment: the shared variables plus fetching, politeness and feed polling. */
export const fetcherEnvSchema = baseEnvSchema.extend(feedEnvSchema.shape);

export type FetcherConfig = z.infer<typeof fetcherEnvSchema>;
