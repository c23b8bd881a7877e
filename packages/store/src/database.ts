import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** The one interface every store module uses: PostgreSQL server or embedded PGlite, same SQL. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs `fn` in a transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Queryable = Pick<Database, 'query'>;

export interface OpenDatabaseOptions {
  /** `postgres://...`; without it the index is PGlite under `dataDir`. */
  url?: string | null;
  /** Directory for PGlite's files; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** Pool size for the server case. */
  maxConnections?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.dataDir ?? '.data/pglite');
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'sluice' });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await pool.query(sql, params);
      return { rows: result.rows as Row[] };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <Row>(sql: string, params: unknown[] = []) => ({
            rows: (await client.query(sql, params)).rows as Row[],
          }),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  return {
    kind: 'pglite',
    async query<Row>(sql: string, params: unknown[] = []) {
      // PGlite's `query` takes one statement; `exec` runs scripts (migrations) without params.
      if (params.length === 0 && hasSeveralStatements(sql)) {
        await db.exec(sql);
        return { rows: [] };
      }
      const result = await db.query<Row>(sql, params);
      return { rows: result.rows };
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <Row>(sql: string, params: unknown[] = []) => ({
            rows: (await tx.query<Row>(sql, params)).rows,
          }),
        }),
      ),
    close: () => db.close(),
  };
}

const hasSeveralStatements = (sql: string) => sql.trim().replace(/;\s*$/, '').includes(';');
