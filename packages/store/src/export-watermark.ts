import type { Queryable } from './database';
import { SearchParamError } from './search-documents';

/**
 * Where an incremental export resumes: after the row with this change time (microseconds, as
 * PostgreSQL keeps it) and id. The export's `nextSince` is the horizon with an empty id, so the
 * next pull starts at the first row changed at or after it.
 */
export interface ExportPosition {
  changedAt: string;
  id: string;
}

const PREFIX = 'wm.';

export function encodeWatermark(position: ExportPosition): string {
  return `${PREFIX}${Buffer.from(JSON.stringify([position.changedAt, position.id])).toString('base64url')}`;
}

/** A watermark this API issued, or a date / ISO 8601 time (rows changed at or after it). */
export function parseSince(value: string): ExportPosition {
  if (value.startsWith(PREFIX)) {
    try {
      const [changedAt, id] = JSON.parse(
        Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'),
      );
      if (typeof changedAt === 'string' && !Number.isNaN(Date.parse(changedAt)) && typeof id === 'string')
        return { changedAt, id };
    } catch {}
    throw new SearchParamError('since is not a watermark this API issued');
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new SearchParamError('since must be a watermark, a date or an ISO 8601 time');
  return { changedAt: new Date(time).toISOString(), id: '' };
}

/** A timestamptz as ISO 8601 UTC text with PostgreSQL's full (microsecond) precision. */
export const microsSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A timestamptz as the API's ISO 8601 UTC text (milliseconds, like `toISOString`). */
export const isoSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The time before which every change is committed and visible: now, or the start of the oldest
 * transaction still open on this database, whichever is earlier. A row's `changed_at` is its
 * transaction's start time, so a transaction still running can only write rows stamped at or
 * after its start; an export that stops before the horizon never skips a row that commits later.
 * (Other roles' transactions are visible in `pg_stat_activity` only to privileged roles: Sluice
 * writes with one role.)
 */
export async function exportHorizon(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ horizon: string }>(
    `SELECT ${microsSql(`least(now(), coalesce((SELECT min(xact_start) FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND datname = current_database() AND xact_start IS NOT NULL), now()))`)} AS horizon`,
  );
  return rows[0]!.horizon;
}

/**
 * The horizon for an export read from a read replica. The replica's own clock and activity say
 * nothing of the primary's open transactions, nor of commits it has not replayed yet, so the
 * horizon is taken on the primary with the primary's WAL position, and the replica is used
 * only once it has replayed up to that position (waiting up to `waitMs`). Every row changed
 * before the horizon is then on the replica, and a later export misses none. Null when the
 * replica stays further behind: read that export from the primary.
 */
export async function replicaExportHorizon(
  primary: Queryable,
  replica: Queryable,
  waitMs = 2_000,
): Promise<string | null> {
  const horizon = await exportHorizon(primary);
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows: replayed } = await replica.query<{ caught_up: boolean }>(
      'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS caught_up',
      [rows[0]!.lsn],
    );
    if (replayed[0]?.caught_up) return horizon;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
