/**
 * Webhook subscriptions and their delivery log (namespace `webhooks`). Append new entries;
 * never edit an applied one.
 */
export const webhookMigrations: string[] = [
  `
  CREATE TABLE webhook_subscriptions (
    id text PRIMARY KEY,
    url text NOT NULL,
    events text[] NOT NULL,
    -- Search's filters: q, source, lang, entity, story (each optional).
    filter jsonb NOT NULL DEFAULT '{}',
    -- The HMAC key. Kept in clear because signing needs it; shown once, at creation.
    secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event text NOT NULL,
    subject_id text NOT NULL,
    -- pending (not tried yet), retrying, delivered, failed (gave up).
    status text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    response_status integer,
    error text,
    duration_ms integer,
    -- Every attempt: {at, status, error, durationMs}, the last 20.
    attempt_log jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
  );
  CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, created_at DESC);
  CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at) WHERE status = 'pending'
  `,
];
