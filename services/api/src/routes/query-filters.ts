import { z } from 'zod';

/** A yes/no query parameter: `1`/`0`, `true`/`false` or `yes`/`no`. */
export const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/**
 * The filters a search and an export share (the same words select the same documents), each
 * bounded so an over-long value is a 400, not work for the database.
 */
export const documentFilterSchema = z.object({
  q: z.string().max(500).optional(),
  source: z.string().max(200).optional(),
  lang: z.string().max(10).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  entity: z.string().max(20).optional(),
  story: z.string().max(64).optional(),
  includeDuplicates: flag.optional(),
});
