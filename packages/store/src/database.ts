import { createHash } from 'node:crypto';
import pg from 'pg';
import { initClusterInChild } from './pglite-init';

/** The one interface every store module uses: PostgreSQL server or embedded PGlite, same SQL. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /**
   * One statement. `prepare` names it, so a server connection parses (and may plan) it once;
   * for the fixed statements of hot paths.
   */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: { prepare?: boolean },
  ): Promise<{ rows: Row[] }>;
  /**
   * Runs `fn` in a transaction on one connection; commits on success, rolls back on throw.
   * `lock` takes that transaction-level advisory lock first, and `settings` are set for the
   * transaction only (`SET LOCAL`), both in the same round trip as BEGIN.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

export type Queryable = Pick<Database, 'query'>;

export interface TransactionOptions {
  lock?: string;
  /** Planner and run-time settings for this transaction only, e.g. `{ enable_seqscan: 'off' }`. */
  settings?: Record<string, string>;
}

/** `BEGIN`'s companions: the advisory lock and `SET LOCAL`s, as literal SQL (names checked). */
function transactionPreamble(options: TransactionOptions | undefined): string[] {
  const statements: string[] = [];
  if (options?.lock) statements.push(`SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(options.lock)}))`);
  for (const [name, value] of Object.entries(options?.settings ?? {})) {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a setting name: ${name}`);
    statements.push(`SET LOCAL ${name} = ${quoteLiteral(value)}`);
  }
  return statements;
}

export interface OpenDatabaseOptions {
  /** `postgres://...`; without it the index is PGlite under `dataDir`. */
  url?: string | null;
  /** Directory for PGlite's files; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** Pool size for the server case. */
  maxConnections?: number;
  /**
   * Told about connection errors that no query is waiting for (an idle or checked-out client
   * whose server went away). They never crash the process; this is for logging them.
   */
  onConnectionError?: (error: Error) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    return openPostgres(options.url, options.maxConnections ?? 10, options.onConnectionError ?? (() => {}));
  }
  return openPglite(options.dataDir ?? '.data/pglite');
}

function openPostgres(url: string, max: number, onConnectionError: (error: Error) => void): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'sluice',
    // Fail a connect attempt to a server that does not answer instead of waiting forever.
    connectionTimeoutMillis: 30_000,
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', onConnectionError);
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: unknown[] = [], options?: { prepare?: boolean }) {
      const result = await pool.query(statement(sql, params, options));
      return { rows: result.rows as Row[] };
    },
    async transaction(fn, options) {
      const client = await pool.connect();
      // While checked out, a client has no pool listener: a backend terminated between two
      // statements (restart, pg_terminate_backend) would emit an unhandled 'error' and end
      // the process. Listen, and fail the transaction's next statement instead.
      let broken: Error | null = null;
      const onError = (error: Error) => {
        broken = error;
        onConnectionError(error);
      };
      client.on('error', onError);
      try {
        // Without parameters this is one simple-protocol round trip for both statements.
        await client.query(['BEGIN', ...transactionPreamble(options)].join('; '));
        const result = await fn({
          query: async <Row>(sql: string, params: unknown[] = [], options?: { prepare?: boolean }) => ({
            rows: (await client.query(statement(sql, params, options))).rows as Row[],
          }),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is broken too.
        if (!broken) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off('error', onError);
        // A broken connection is destroyed, not handed to the next caller.
        client.release(broken ?? undefined);
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (!dataDir.startsWith('memory://')) await initClusterInChild(dataDir);
  // PostgreSQL's default 128 MB of shared buffers sits inside the WASM heap, in the process's own
  // memory; the files' pages are cached by the OS anyway. 16 MB keeps `sluice start` small
  // (bench:memory: about 130 MB less RSS after 50,000 rows).
  const startParams = [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams];
  const db = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    startParams: [...startParams, '-c', 'shared_buffers=16MB'],
  });
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
    transaction: (fn, options) =>
      db.transaction(async (tx) => {
        for (const sql of transactionPreamble(options)) await tx.query(sql);
        return fn({
          query: async <Row>(sql: string, params: unknown[] = []) => ({
            rows: (await tx.query<Row>(sql, params)).rows,
          }),
        });
      }),
    close: () => db.close(),
  };
}

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A node-postgres query config; prepared ones are named by their text's hash. */
const statement = (sql: string, values: unknown[], options?: { prepare?: boolean }) =>
  options?.prepare
    ? { name: `sluice_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, text: sql, values }
    : { text: sql, values };

const hasSeveralStatements = (sql: string) => sql.trim().replace(/;\s*$/, '').includes(';');
