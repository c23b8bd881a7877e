/** Feed and sitemap state, applied with `runMigrations(db, 'feeds', feedMigrations)`. */
export const feedMigrations: readonly string[] = [
  `CREATE TABLE feeds (
    id text PRIMARY KEY,
    url text NOT NULL UNIQUE,
    title text,
    site_url text,
    status text NOT NULL DEFAULT 'active',
    full_content boolean NOT NULL DEFAULT false,
    etag text,
    last_modified text,
    interval_ms integer NOT NULL DEFAULT 1800000,
    next_poll_at timestamptz,
    consecutive_failures integer NOT NULL DEFAULT 0,
    last_polled_at timestamptz,
    last_success_at timestamptz,
    last_error text,
    last_error_code text,
    last_error_at timestamptz,
    items_seen integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE feed_items (
    feed_id text NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key text NOT NULL,
    url text,
    document_id text,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feed_id, item_key)
  );
  CREATE TABLE sitemaps (
    id text PRIMARY KEY,
    url text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'active',
    interval_ms integer NOT NULL DEFAULT 3600000,
    consecutive_failures integer NOT NULL DEFAULT 0,
    last_polled_at timestamptz,
    last_success_at timestamptz,
    last_error text,
    last_error_code text,
    last_error_at timestamptz,
    urls_seen integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE sitemap_urls (
    sitemap_id text NOT NULL REFERENCES sitemaps(id) ON DELETE CASCADE,
    url text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sitemap_id, url)
  )`,
  // What an operator needs to see about a feed or sitemap besides its last error: refusals,
  // skips (robots.txt), pauses and disables. Bounded per subscription by FeedStore.
  `CREATE TABLE feed_events (
    id bigserial PRIMARY KEY,
    feed_id text REFERENCES feeds(id) ON DELETE CASCADE,
    sitemap_id text REFERENCES sitemaps(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    code text,
    message text,
    url text
  );
  CREATE INDEX feed_events_feed ON feed_events (feed_id, id) WHERE feed_id IS NOT NULL;
  CREATE INDEX feed_events_sitemap ON feed_events (sitemap_id, id) WHERE sitemap_id IS NOT NULL`,
  // Why the next poll is when it is, and what it was learnt from: the cadence of the items'
  // publication times and the feed's <ttl>, kept so a 304 (which has no items) keeps them; and a
  // claim, so two poll jobs of one feed (a schedule and a refresh, two copies) never poll at once.
  `ALTER TABLE feeds ADD COLUMN cadence_ms integer;
  ALTER TABLE feeds ADD COLUMN ttl_ms integer;
  ALTER TABLE feeds ADD COLUMN next_poll_reason text;
  ALTER TABLE feeds ADD COLUMN poll_claimed_until timestamptz`,
  // Re-drives of an item whose document failed (retried on later polls with backoff).
  'ALTER TABLE feed_items ADD COLUMN retries integer NOT NULL DEFAULT 0',
];
