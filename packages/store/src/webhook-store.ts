import { randomBytes } from 'node:crypto';
import type { Queryable } from './database';
import { isoSql } from './export-watermark';
import { primaryLanguage } from './language';
import { SearchParamError } from './search-documents';

/** Which documents or stories a subscription hears about: search's filters, all optional. */
export interface WebhookFilter {
  q?: string;
  source?: string;
  lang?: string;
  entity?: string;
  story?: string;
  /** Near and exact duplicates are left out of document events unless set (as in search). */
  includeDuplicates?: boolean;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  filter: WebhookFilter;
  createdAt: string;
  /** Deliveries by status. */
  deliveries: Record<string, number>;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  subjectId: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  attemptLog: { at: string; status: number | null; error: string | null; durationMs: number }[];
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** A delivery to make: what the queue job carries. */
export interface PlannedDelivery {
  deliveryId: string;
  subscriptionId: string;
  event: string;
  subjectId: string;
  occurredAt: string;
}

const newId = () => randomBytes(16).toString('hex');
const MAX_LOGGED_ATTEMPTS = 20;

/** Checks and normalises a filter (language to its ISO 639-1 code); bad values throw SearchParamError. */
export function normalizeWebhookFilter(filter: WebhookFilter): WebhookFilter {
  const out: WebhookFilter = {};
  if (filter.q?.trim()) out.q = filter.q.trim();
  if (filter.source) out.source = filter.source;
  if (filter.lang) {
    const lang = primaryLanguage(filter.lang);
    if (!lang) throw new SearchParamError('filter.lang must be an ISO 639-1 code');
    out.lang = lang;
  }
  if (filter.entity) {
    if (!/^\d{1,18}$/.test(filter.entity)) throw new SearchParamError('filter.entity must be an entity id');
    out.entity = filter.entity;
  }
  if (filter.story) out.story = filter.story;
  if (filter.includeDuplicates) out.includeDuplicates = true;
  return out;
}

/** Creates a subscription; the secret is returned here and never again. */
export async function createWebhookSubscription(
  db: Queryable,
  input: { url: string; events: string[]; filter?: WebhookFilter },
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const id = newId();
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const filter = normalizeWebhookFilter(input.filter ?? {});
  await db.query(
    'INSERT INTO webhook_subscriptions (id, url, events, filter, secret) VALUES ($1, $2, $3, $4, $5)',
    [id, input.url, [...new Set(input.events)], JSON.stringify(filter), secret],
  );
  return { subscription: (await getWebhookSubscription(db, id))!, secret };
}

interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  filter: WebhookFilter | string;
  created_at: string;
  deliveries: Record<string, number> | string | null;
}

const SUBSCRIPTION_COLUMNS = `s.id, s.url, s.events, s.filter, ${isoSql('s.created_at')} AS created_at,
  (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM webhook_deliveries
     WHERE subscription_id = s.id GROUP BY status) c) AS deliveries`;

const json = <T>(value: T | string): T => (typeof value === 'string' ? JSON.parse(value) : value);

const subscription = (row: SubscriptionRow): WebhookSubscription => ({
  id: row.id,
  url: row.url,
  events: row.events,
  filter: json(row.filter),
  createdAt: row.created_at,
  deliveries: json(row.deliveries ?? {}) ?? {},
});

export async function listWebhookSubscriptions(db: Queryable): Promise<WebhookSubscription[]> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s ORDER BY s.created_at, s.id`,
  );
  return rows.map(subscription);
}

export async function getWebhookSubscription(db: Queryable, id: string): Promise<WebhookSubscription | null> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s WHERE s.id = $1`,
    [id],
  );
  return rows[0] ? subscription(rows[0]) : null;
}

/** A subscription's deliveries, newest first. */
export async function listWebhookDeliveries(
  db: Queryable,
  subscriptionId: string,
  limit = 50,
): Promise<WebhookDelivery[]> {
  const { rows } = await db.query<{ delivery: WebhookDelivery | string }>(
    `SELECT json_build_object('id', id, 'event', event, 'subjectId', subject_id, 'status', status,
       'attempts', attempts, 'responseStatus', response_status, 'error', error, 'durationMs', duration_ms,
       'attemptLog', attempt_log, 'createdAt', ${isoSql('created_at')}, 'updatedAt', ${isoSql('updated_at')},
       'deliveredAt', ${isoSql('delivered_at')}) AS delivery
     FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
    [subscriptionId, Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((row) => json(row.delivery));
}

/** Deletes a subscription and its log; queued deliveries find it gone and do nothing. */
export async function deleteWebhookSubscription(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    'DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING id',
    [id],
  );
  return rows.length > 0;
}

/** The events at least one subscription wants (an emitter's cheap first check). */
export async function subscribedWebhookEvents(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ event: string }>(
    'SELECT DISTINCT unnest(events) AS event FROM webhook_subscriptions',
  );
  return new Set(rows.map((row) => row.event));
}

/** A document row (alias `x`) passes the subscription's (`s`) document filters. */
const documentPasses = (
  x: string,
) => `(s.filter->>'source' IS NULL OR ${x}.sources @> ARRAY[s.filter->>'source'])
  AND (s.filter->>'lang' IS NULL OR lower(split_part(replace(${x}.lang, '_', '-'), '-', 1)) = s.filter->>'lang')
  AND (s.filter->>'entity' IS NULL OR ${x}.entity_ids @> ARRAY[(s.filter->>'entity')::bigint])
  AND (s.filter->>'q' IS NULL OR ${x}.search_vector @@ websearch_to_tsquery(${x}.ts_config, s.filter->>'q'))`;

/**
 * Records one pending delivery per subscription that wants each event and whose filter the
 * document or story passes (a story passes when one of its documents does), in one statement.
 * Called after the change is committed; the deliveries are then queued.
 */
export async function planWebhookDeliveries(
  db: Queryable,
  events: { event: string; subjectId: string }[],
): Promise<PlannedDelivery[]> {
  if (events.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    subscription_id: string;
    event: string;
    subject_id: string;
    occurred_at: string;
  }>(
    `INSERT INTO webhook_deliveries (id, subscription_id, event, subject_id)
     SELECT replace(gen_random_uuid()::text, '-', ''), s.id, ev.event, ev.subject_id
     FROM jsonb_to_recordset($1::jsonb) AS ev(event text, subject_id text)
     JOIN webhook_subscriptions s ON ev.event = ANY(s.events)
     WHERE CASE WHEN ev.event LIKE 'document.%' THEN EXISTS (
         SELECT 1 FROM documents d WHERE d.id = ev.subject_id AND ${documentPasses('d')}
           AND (s.filter->>'story' IS NULL OR d.story_id = s.filter->>'story')
           AND (coalesce((s.filter->>'includeDuplicates')::boolean, false) OR d.duplicate_of IS NULL))
       ELSE (s.filter->>'story' IS NULL OR ev.subject_id = s.filter->>'story')
         AND (s.filter->>'source' IS NULL AND s.filter->>'lang' IS NULL AND s.filter->>'entity' IS NULL
              AND s.filter->>'q' IS NULL
           OR EXISTS (SELECT 1 FROM documents d WHERE d.story_id = ev.subject_id AND ${documentPasses('d')}))
       END
     RETURNING id, subscription_id, event, subject_id, ${isoSql('created_at')} AS occurred_at`,
    [JSON.stringify(events.map((event) => ({ event: event.event, subject_id: event.subjectId })))],
  );
  return rows.map((row) => ({
    deliveryId: row.id,
    subscriptionId: row.subscription_id,
    event: row.event,
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
  }));
}

/** Deliveries still pending after `olderThanMs` (their enqueue may have failed), oldest first. */
export async function stalePendingDeliveries(
  db: Queryable,
  olderThanMs: number,
  limit = 500,
): Promise<PlannedDelivery[]> {
  const { rows } = await db.query<{
    id: string;
    subscription_id: string;
    event: string;
    subject_id: string;
    occurred_at: string;
  }>(
    `SELECT id, subscription_id, event, subject_id, ${isoSql('created_at')} AS occurred_at FROM webhook_deliveries
     WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((row) => ({
    deliveryId: row.id,
    subscriptionId: row.subscription_id,
    event: row.event,
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
  }));
}

/** What the delivery worker needs: where to, the signing key, and the delivery's state. */
export async function webhookDeliveryTarget(
  db: Queryable,
  deliveryId: string,
): Promise<{ url: string; secret: string; status: string } | null> {
  const { rows } = await db.query<{ url: string; secret: string; status: string }>(
    `SELECT s.url, s.secret, w.status FROM webhook_deliveries w JOIN webhook_subscriptions s ON s.id = w.subscription_id
     WHERE w.id = $1`,
    [deliveryId],
  );
  return rows[0] ?? null;
}

/** Logs one attempt: `delivered`, `retrying` (another attempt follows) or `failed` (given up). */
export async function recordWebhookAttempt(
  db: Queryable,
  deliveryId: string,
  attempt: {
    outcome: 'delivered' | 'retrying' | 'failed';
    responseStatus: number | null;
    error: string | null;
    durationMs: number;
  },
): Promise<void> {
  const entry = {
    at: new Date().toISOString(),
    status: attempt.responseStatus,
    error: attempt.error,
    durationMs: Math.round(attempt.durationMs),
  };
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, response_status = $3, error = $4,
       duration_ms = $5, updated_at = now(), delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
       attempt_log = (SELECT coalesce(jsonb_agg(e ORDER BY n), '[]') FROM (
         SELECT e, n FROM jsonb_array_elements(attempt_log || jsonb_build_array($6::jsonb)) WITH ORDINALITY AS a(e, n)
         ORDER BY n DESC LIMIT ${MAX_LOGGED_ATTEMPTS}) last)
     WHERE id = $1`,
    [
      deliveryId,
      attempt.outcome,
      attempt.responseStatus,
      attempt.error,
      entry.durationMs,
      JSON.stringify(entry),
    ],
  );
}

/** Forgets finished deliveries (delivered or failed) older than `olderThanDays`; returns how many. */
export async function pruneWebhookDeliveries(
  db: Queryable,
  olderThanDays: number,
  limit = 10_000,
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `DELETE FROM webhook_deliveries WHERE id IN (
       SELECT id FROM webhook_deliveries WHERE status IN ('delivered', 'failed')
         AND created_at < now() - make_interval(days => $1::int) LIMIT $2)
     RETURNING id`,
    [olderThanDays, limit],
  );
  return rows.length;
}
