import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@sluice/store';

export type FeedStatus = 'active' | 'paused' | 'disabled';

export interface Feed {
  id: string;
  url: string;
  title: string | null;
  siteUrl: string | null;
  status: FeedStatus;
  fullContent: boolean;
  etag: string | null;
  lastModified: string | null;
  intervalMs: number;
  nextPollAt: string | null;
  consecutiveFailures: number;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
  itemsSeen: number;
  createdAt: string;
  /** The cadence learnt from the items' publication times (half their median gap), if known. */
  cadenceMs: number | null;
  /** The feed's own `<ttl>`, if it has one. */
  ttlMs: number | null;
  /** Why the next poll is when it is: cadence learnt, `<ttl>`, Retry-After, back-off... */
  nextPollReason: string | null;
}

export interface Sitemap {
  id: string;
  url: string;
  status: FeedStatus;
  intervalMs: number;
  consecutiveFailures: number;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  urlsSeen: number;
  createdAt: string;
}

/**
 * Something an operator should see about a feed or sitemap: a failed poll, a refusal (blocked
 * address, unsafe XML), a skip (robots.txt, a sitemap loop), or a change of status.
 */
export type FeedEventKind = 'failed' | 'refused' | 'skipped' | 'paused' | 'disabled' | 'resumed' | 'retried';

export interface FeedEvent {
  at: string;
  kind: FeedEventKind;
  code: string | null;
  message: string | null;
  /** The address concerned when it is not the subscription's own (a child sitemap). */
  url: string | null;
}

export type EventOwner = { feedId: string } | { sitemapId: string };

/** Events kept per feed or sitemap; older ones are dropped as new ones arrive. */
export const MAX_EVENTS_PER_SUBSCRIPTION = 50;

export interface SeenItem {
  key: string;
  url: string | null;
  documentId: string | null;
}

const iso = (value: unknown) =>
  value == null ? null : value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

type Row = Record<string, unknown>;

function toFeed(row: Row): Feed {
  return {
    id: row.id as string,
    url: row.url as string,
    title: (row.title as string) ?? null,
    siteUrl: (row.site_url as string) ?? null,
    status: row.status as FeedStatus,
    fullContent: Boolean(row.full_content),
    etag: (row.etag as string) ?? null,
    lastModified: (row.last_modified as string) ?? null,
    intervalMs: Number(row.interval_ms),
    nextPollAt: iso(row.next_poll_at),
    consecutiveFailures: Number(row.consecutive_failures),
    lastPolledAt: iso(row.last_polled_at),
    lastSuccessAt: iso(row.last_success_at),
    lastError: (row.last_error as string) ?? null,
    lastErrorCode: (row.last_error_code as string) ?? null,
    lastErrorAt: iso(row.last_error_at),
    itemsSeen: Number(row.items_seen),
    createdAt: iso(row.created_at)!,
    cadenceMs: row.cadence_ms == null ? null : Number(row.cadence_ms),
    ttlMs: row.ttl_ms == null ? null : Number(row.ttl_ms),
    nextPollReason: (row.next_poll_reason as string) ?? null,
  };
}

function toSitemap(row: Row): Sitemap {
  return {
    id: row.id as string,
    url: row.url as string,
    status: row.status as FeedStatus,
    intervalMs: Number(row.interval_ms),
    consecutiveFailures: Number(row.consecutive_failures),
    lastPolledAt: iso(row.last_polled_at),
    lastSuccessAt: iso(row.last_success_at),
    lastError: (row.last_error as string) ?? null,
    lastErrorCode: (row.last_error_code as string) ?? null,
    urlsSeen: Number(row.urls_seen),
    createdAt: iso(row.created_at)!,
  };
}

/** Feed and sitemap state in PostgreSQL: subscriptions, validators, schedule, errors, seen items. */
export class FeedStore {
  constructor(private readonly db: Database) {}

  /** Subscribes to a feed; adding a URL already subscribed returns the existing feed. */
  async addFeed(input: { url: string; title?: string | null; fullContent?: boolean }): Promise<Feed> {
    return (await this.subscribe(input)).feed;
  }

  /** Like `addFeed`, and says whether the subscription is new. */
  async subscribe(input: {
    url: string;
    title?: string | null;
    fullContent?: boolean;
  }): Promise<{ feed: Feed; created: boolean }> {
    // xmax is 0 on a freshly inserted row and set when ON CONFLICT updated an existing one.
    const { rows } = await this.db.query<Row>(
      `INSERT INTO feeds (id, url, title, full_content) VALUES ($1, $2, $3, $4)
       ON CONFLICT (url) DO UPDATE SET updated_at = feeds.updated_at RETURNING *, (xmax = 0) AS inserted`,
      [randomUUID(), input.url, input.title ?? null, input.fullContent ?? false],
    );
    return { feed: toFeed(rows[0]!), created: Boolean(rows[0]!.inserted) };
  }

  async getFeed(id: string): Promise<Feed | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM feeds WHERE id = $1', [id]);
    return rows[0] ? toFeed(rows[0]) : null;
  }

  async listFeeds(status?: FeedStatus): Promise<Feed[]> {
    const { rows } = status
      ? await this.db.query<Row>('SELECT * FROM feeds WHERE status = $1 ORDER BY created_at, id', [status])
      : await this.db.query<Row>('SELECT * FROM feeds ORDER BY created_at, id');
    return rows.map(toFeed);
  }

  async countFeeds(): Promise<number> {
    const { rows } = await this.db.query<{ count: string | number }>('SELECT count(*) AS count FROM feeds');
    return Number(rows[0]?.count ?? 0);
  }

  async removeFeed(id: string): Promise<boolean> {
    const { rows } = await this.db.query<Row>('DELETE FROM feeds WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  /**
   * Claims the feed for one poll, across every copy: false while another poll of it holds an
   * unexpired claim. The claim ends with `releasePoll` or after `leaseMs`.
   */
  async claimPoll(id: string, leaseMs: number): Promise<boolean> {
    const { rows } = await this.db.query<Row>(
      `UPDATE feeds SET poll_claimed_until = now() + $2::integer * interval '1 millisecond'
       WHERE id = $1 AND (poll_claimed_until IS NULL OR poll_claimed_until < now()) RETURNING id`,
      [id, Math.round(leaseMs)],
    );
    return rows.length > 0;
  }

  async releasePoll(id: string): Promise<void> {
    await this.db.query('UPDATE feeds SET poll_claimed_until = NULL WHERE id = $1', [id]);
  }

  /** A successful poll (200 or 304): validators and schedule updated, failures cleared. */
  async recordPollSuccess(
    id: string,
    update: {
      etag?: string | null;
      lastModified?: string | null;
      intervalMs: number;
      title?: string | null;
      siteUrl?: string | null;
      newItems?: number;
      /** Why the next poll is when it is. */
      reason?: string | null;
      /** Learnt from this poll's items (omitted after a 304: the stored ones stay). */
      cadenceMs?: number | null;
      ttlMs?: number | null;
    },
  ): Promise<void> {
    const learnt = update.cadenceMs !== undefined || update.ttlMs !== undefined;
    await this.db.query(
      `UPDATE feeds SET
         etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified),
         interval_ms = $4::integer, next_poll_at = now() + $4::integer * interval '1 millisecond',
         title = COALESCE(title, $5), site_url = COALESCE($6, site_url),
         items_seen = items_seen + $7, consecutive_failures = 0, status = CASE WHEN status = 'paused' THEN 'active' ELSE status END,
         last_polled_at = now(), last_success_at = now(), updated_at = now(),
         next_poll_reason = $8,
         cadence_ms = CASE WHEN $9 THEN $10::integer ELSE cadence_ms END,
         ttl_ms = CASE WHEN $9 THEN $11::integer ELSE ttl_ms END
       WHERE id = $1`,
      [
        id,
        update.etag ?? null,
        update.lastModified ?? null,
        update.intervalMs,
        update.title ?? null,
        update.siteUrl ?? null,
        update.newItems ?? 0,
        update.reason ?? null,
        learnt,
        update.cadenceMs == null ? null : Math.round(update.cadenceMs),
        update.ttlMs == null ? null : Math.round(update.ttlMs),
      ],
    );
  }

  /**
   * A failed poll: the error is recorded (also as an event) and the failure count grows.
   * Reaching `maxFailures` pauses the feed; `disable` (410 Gone, refused address) disables it
   * for good. A change of status is recorded as its own event.
   */
  async recordPollFailure(
    id: string,
    failure: {
      code: string;
      message: string;
      intervalMs: number;
      maxFailures: number;
      disable?: boolean;
      /** The poll was refused (blocked address, unsafe XML) rather than failed. */
      refused?: boolean;
      /** Why the next poll is when it is (back-off, Retry-After). */
      reason?: string | null;
    },
  ): Promise<Feed | null> {
    return this.db.transaction(async (tx) => {
      const before = await tx.query<Row>('SELECT status FROM feeds WHERE id = $1 FOR UPDATE', [id]);
      if (!before.rows[0]) return null;
      const { rows } = await tx.query<Row>(
        `UPDATE feeds SET
           consecutive_failures = consecutive_failures + 1,
           last_error = $2, last_error_code = $3, last_error_at = now(), last_polled_at = now(),
           interval_ms = $4::integer, next_poll_at = now() + $4::integer * interval '1 millisecond',
           status = CASE WHEN $6 THEN 'disabled'
                         WHEN status = 'active' AND consecutive_failures + 1 >= $5 THEN 'paused'
                         ELSE status END,
           next_poll_reason = $7, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          failure.message.slice(0, 2000),
          failure.code,
          failure.intervalMs,
          failure.maxFailures,
          !!failure.disable,
          failure.reason ?? null,
        ],
      );
      const feed = toFeed(rows[0]!);
      const owner = { feedId: id };
      await insertEvent(tx, owner, {
        kind: failure.refused ? 'refused' : 'failed',
        code: failure.code,
        message: failure.message,
      });
      const previous = before.rows[0].status as FeedStatus;
      if (feed.status !== previous) {
        await insertEvent(tx, owner, statusEvent(feed.status, failure.code, feed.consecutiveFailures));
      }
      return feed;
    });
  }

  /** Records an event for a feed or sitemap, keeping the newest `MAX_EVENTS_PER_SUBSCRIPTION`. */
  async recordEvent(
    owner: EventOwner,
    event: { kind: FeedEventKind; code?: string | null; message?: string | null; url?: string | null },
  ): Promise<void> {
    await this.db.transaction((tx) => insertEvent(tx, owner, event));
  }

  /** The newest events first. */
  async listEvents(owner: EventOwner, limit = MAX_EVENTS_PER_SUBSCRIPTION): Promise<FeedEvent[]> {
    const [column, value] = ownerColumn(owner);
    const { rows } = await this.db.query<Row>(
      `SELECT at, kind, code, message, url FROM feed_events WHERE ${column} = $1 ORDER BY id DESC LIMIT $2`,
      [value, Math.max(1, Math.min(limit, MAX_EVENTS_PER_SUBSCRIPTION))],
    );
    return rows.map((row) => ({
      at: iso(row.at)!,
      kind: row.kind as FeedEventKind,
      code: (row.code as string) ?? null,
      message: (row.message as string) ?? null,
      url: (row.url as string) ?? null,
    }));
  }

  /** A poll skipped on purpose (robots.txt): recorded, polled again next interval, not a failure. */
  async recordFeedSkip(
    id: string,
    skip: { code: string; message: string; intervalMs: number },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE feeds SET last_polled_at = now(), last_error = $2, last_error_code = $3, last_error_at = now(),
           next_poll_at = now() + $4::integer * interval '1 millisecond', updated_at = now(),
           next_poll_reason = $5
         WHERE id = $1`,
        [
          id,
          skip.message.slice(0, 2000),
          skip.code,
          skip.intervalMs,
          `skipped (${skip.code}): polled again at the same interval`,
        ],
      );
      await insertEvent(tx, { feedId: id }, { kind: 'skipped', code: skip.code, message: skip.message });
    });
  }

  /** Moves a feed to its permanent-redirect target, unless another feed already has that URL. */
  async updateFeedUrl(id: string, url: string): Promise<boolean> {
    const { rows } = await this.db.query<Row>(
      `UPDATE feeds SET url = $2, updated_at = now() WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = $2) RETURNING id`,
      [id, url],
    );
    return rows.length > 0;
  }

  /** Sets a feed's status by hand (an operator's resume); a change is recorded as an event. */
  async setFeedStatus(id: string, status: FeedStatus): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `UPDATE feeds SET status = $2, consecutive_failures = CASE WHEN $2 = 'active' THEN 0 ELSE consecutive_failures END,
         updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id`,
        [id, status],
      );
      if (rows.length > 0) {
        await insertEvent(
          tx,
          { feedId: id },
          { ...statusEvent(status, null, 0), message: `set ${status} by hand` },
        );
      }
    });
  }

  /** How many times each of these items' documents was re-driven after failing. */
  async itemRetries(feedId: string, keys: string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.db.query<Row>(
      'SELECT item_key, retries FROM feed_items WHERE feed_id = $1 AND item_key = ANY($2::text[])',
      [feedId, keys],
    );
    return new Map(rows.map((row) => [row.item_key as string, Number(row.retries)]));
  }

  /** Counts a re-drive (or the last failure given up on) of an item's document, with its event. */
  async recordItemRetry(
    feedId: string,
    key: string,
    event: { kind: FeedEventKind; code: string; message: string; url: string | null },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE feed_items SET retries = retries + 1 WHERE feed_id = $1 AND item_key = $2', [
        feedId,
        key,
      ]);
      await insertEvent(tx, { feedId }, event);
    });
  }

  /** Records items as seen; returns only those never seen before for this feed. */
  async rememberItems(feedId: string, items: SeenItem[]): Promise<SeenItem[]> {
    if (items.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const fresh = new Set(await insertNewKeys(tx, feedId, items));
      return items.filter((item) => fresh.has(item.key));
    });
  }

  async addSitemap(url: string): Promise<Sitemap> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO sitemaps (id, url) VALUES ($1, $2) ON CONFLICT (url) DO UPDATE SET url = sitemaps.url RETURNING *`,
      [randomUUID(), url],
    );
    return toSitemap(rows[0]!);
  }

  async getSitemap(id: string): Promise<Sitemap | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM sitemaps WHERE id = $1', [id]);
    return rows[0] ? toSitemap(rows[0]) : null;
  }

  async listSitemaps(status?: FeedStatus): Promise<Sitemap[]> {
    const { rows } = status
      ? await this.db.query<Row>('SELECT * FROM sitemaps WHERE status = $1 ORDER BY created_at, id', [status])
      : await this.db.query<Row>('SELECT * FROM sitemaps ORDER BY created_at, id');
    return rows.map(toSitemap);
  }

  async removeSitemap(id: string): Promise<boolean> {
    const { rows } = await this.db.query<Row>('DELETE FROM sitemaps WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  /** Records sitemap URLs as seen; returns the new ones. */
  async rememberSitemapUrls(sitemapId: string, urls: string[]): Promise<string[]> {
    if (urls.length === 0) return [];
    const { rows } = await this.db.query<{ url: string }>(
      `INSERT INTO sitemap_urls (sitemap_id, url) SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING RETURNING url`,
      [sitemapId, [...new Set(urls)]],
    );
    return rows.map((row) => row.url);
  }

  async recordSitemapPoll(
    id: string,
    outcome:
      | { ok: true; newUrls: number }
      | {
          ok: false;
          code: string;
          message: string;
          maxFailures: number;
          disable?: boolean;
          refused?: boolean;
        },
  ): Promise<void> {
    if (outcome.ok) {
      await this.db.query(
        `UPDATE sitemaps SET consecutive_failures = 0, last_polled_at = now(), last_success_at = now(),
         urls_seen = urls_seen + $2, status = CASE WHEN status = 'paused' THEN 'active' ELSE status END WHERE id = $1`,
        [id, outcome.newUrls],
      );
      return;
    }
    await this.db.transaction(async (tx) => {
      const before = await tx.query<Row>('SELECT status FROM sitemaps WHERE id = $1 FOR UPDATE', [id]);
      if (!before.rows[0]) return;
      const { rows } = await tx.query<Row>(
        `UPDATE sitemaps SET consecutive_failures = consecutive_failures + 1, last_polled_at = now(),
         last_error = $2, last_error_code = $3, last_error_at = now(),
         status = CASE WHEN $5 THEN 'disabled' WHEN status = 'active' AND consecutive_failures + 1 >= $4 THEN 'paused'
                       ELSE status END
         WHERE id = $1 RETURNING status, consecutive_failures`,
        [id, outcome.message.slice(0, 2000), outcome.code, outcome.maxFailures, !!outcome.disable],
      );
      const owner = { sitemapId: id };
      await insertEvent(tx, owner, {
        kind: outcome.refused ? 'refused' : 'failed',
        code: outcome.code,
        message: outcome.message,
      });
      const status = rows[0]!.status as FeedStatus;
      if (status !== before.rows[0].status) {
        await insertEvent(
          tx,
          owner,
          statusEvent(status, outcome.code, Number(rows[0]!.consecutive_failures)),
        );
      }
    });
  }

  /** A poll that was skipped on purpose (robots.txt): recorded, without counting as a failure. */
  async recordSitemapSkip(id: string, skip: { code: string; message: string }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE sitemaps SET last_polled_at = now(), last_error = $2, last_error_code = $3, last_error_at = now()
         WHERE id = $1`,
        [id, skip.message.slice(0, 2000), skip.code],
      );
      await insertEvent(tx, { sitemapId: id }, { kind: 'skipped', ...skip });
    });
  }
}

const ownerColumn = (owner: EventOwner): ['feed_id' | 'sitemap_id', string] =>
  'feedId' in owner ? ['feed_id', owner.feedId] : ['sitemap_id', owner.sitemapId];

function statusEvent(status: FeedStatus, code: string | null, failures: number) {
  const message =
    status === 'paused'
      ? `paused after ${failures} consecutive failures; refresh to resume`
      : status === 'disabled'
        ? `disabled for good (${code === 'gone' ? '410 Gone' : `refused: ${code}`}); refresh to resume`
        : 'active again';
  const kind: FeedEventKind = status === 'active' ? 'resumed' : status;
  return { kind, code, message };
}

async function insertEvent(
  tx: Queryable,
  owner: EventOwner,
  event: { kind: FeedEventKind; code?: string | null; message?: string | null; url?: string | null },
): Promise<void> {
  const [column, value] = ownerColumn(owner);
  await tx.query(
    `INSERT INTO feed_events (${column}, kind, code, message, url) VALUES ($1, $2, $3, $4, $5)`,
    [
      value,
      event.kind,
      event.code ?? null,
      event.message?.slice(0, 2000) ?? null,
      event.url?.slice(0, 2000) ?? null,
    ],
  );
  await tx.query(
    `DELETE FROM feed_events WHERE ${column} = $1 AND id < (
       SELECT min(id) FROM (SELECT id FROM feed_events WHERE ${column} = $1 ORDER BY id DESC LIMIT $2) AS newest)`,
    [value, MAX_EVENTS_PER_SUBSCRIPTION],
  );
}

async function insertNewKeys(tx: Queryable, feedId: string, items: SeenItem[]): Promise<string[]> {
  const { rows } = await tx.query<{ item_key: string }>(
    `INSERT INTO feed_items (feed_id, item_key, url, document_id)
     SELECT $1, key, url, document_id FROM unnest($2::text[], $3::text[], $4::text[]) AS t(key, url, document_id)
     ON CONFLICT DO NOTHING RETURNING item_key`,
    [
      feedId,
      items.map((item) => item.key),
      items.map((item) => item.url),
      items.map((item) => item.documentId),
    ],
  );
  return rows.map((row) => row.item_key);
}
