import { WEBHOOK_EVENTS } from '@sluice/contracts';
import { checkUrl, FetchError } from '@sluice/http';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  SearchParamError,
} from '@sluice/store';
import { webhookSettingsFromEnv } from '@sluice/webhooks';
import { z } from 'zod';
import type { RouteModule } from './index';

const subscriptionSchema = z.object({
  url: z.string().min(1).max(2_000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'events must name at least one event'),
  filter: z
    .object({
      q: z.string().max(500).optional(),
      source: z.string().max(200).optional(),
      lang: z.string().max(10).optional(),
      entity: z.string().max(20).optional(),
      story: z.string().max(64).optional(),
      includeDuplicates: z.boolean().optional(),
    })
    .strict()
    .optional(),
});

const idSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a webhook id is 32 hex digits');

const reasons = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');

/** The address refusal, with the setting that would allow it. */
function refusal(error: FetchError): string {
  if (error.code === 'blocked-port')
    return `${error.message}: receivers use ports 80 and 443 unless WEBHOOK_ALLOWED_PORTS lists the port`;
  if (error.code === 'blocked-address')
    return `${error.message}: receivers must be public unless WEBHOOK_ALLOW_PRIVATE lists the host`;
  return error.message;
}

/**
 * `POST /webhooks` (subscribe; the signing secret is in this answer only), `GET /webhooks`,
 * `GET /webhooks/:id` (with its latest deliveries) and `DELETE /webhooks/:id`.
 */
export const webhookRoutes: RouteModule = (app, { db }) => {
  const settings = webhookSettingsFromEnv();

  app.post('/webhooks', async (request, reply) => {
    const parsed = subscriptionSchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: reasons(parsed.error) });
    try {
      checkUrl(parsed.data.url, settings);
      const { subscription, secret } = await createWebhookSubscription(db, parsed.data);
      return reply.code(201).send({ ...subscription, secret });
    } catch (error) {
      if (error instanceof FetchError) return reply.code(400).send({ error: `url: ${refusal(error)}` });
      if (error instanceof SearchParamError) return reply.code(400).send({ error: error.message });
      throw error;
    }
  });

  app.get('/webhooks', async () => ({ webhooks: await listWebhookSubscriptions(db) }));

  app.get('/webhooks/:id', async (request, reply) => {
    const id = idSchema.safeParse((request.params as { id: string }).id);
    if (!id.success) return reply.code(400).send({ error: reasons(id.error) });
    const subscription = await getWebhookSubscription(db, id.data);
    if (!subscription) return reply.code(404).send({ error: `no webhook ${id.data}` });
    const limit = z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(50)
      .safeParse((request.query as { limit?: string }).limit);
    if (!limit.success) return reply.code(400).send({ error: `limit: ${reasons(limit.error)}` });
    return { ...subscription, deliveryLog: await listWebhookDeliveries(db, id.data, limit.data) };
  });

  app.delete('/webhooks/:id', async (request, reply) => {
    const id = idSchema.safeParse((request.params as { id: string }).id);
    if (!id.success) return reply.code(400).send({ error: reasons(id.error) });
    if (!(await deleteWebhookSubscription(db, id.data)))
      return reply.code(404).send({ error: `no webhook ${id.data}` });
    return reply.code(204).send();
  });
};
