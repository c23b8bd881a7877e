import { startPostgres, type TestServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database';

describe('a PostgreSQL backend killed mid-transaction', () => {
  let server: TestServer;
  let db: Database;
  let admin: Database;
  const connectionErrors: Error[] = [];

  beforeAll(async () => {
    server = await startPostgres();
    db = await openDatabase({
      url: server.url,
      maxConnections: 2,
      onConnectionError: (error) => connectionErrors.push(error),
    });
    admin = await openDatabase({ url: server.url, maxConnections: 1 });
    await db.query('CREATE TABLE IF NOT EXISTS killed_tx (n int)');
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await admin?.close();
    await server?.stop();
  });

  it('fails the transaction (not the process), reports the error, and the next one works', async () => {
    const outcome = db.transaction(async (tx) => {
      await tx.query('INSERT INTO killed_tx VALUES (1)');
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The backend dies while the callback awaits between two statements.
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query('INSERT INTO killed_tx VALUES (2)');
    });
    await expect(outcome).rejects.toThrow();
    // The client's own 'error' event reached the listener instead of crashing the process.
    expect(connectionErrors.length).toBeGreaterThan(0);
    expect(connectionErrors[0]?.message).toMatch(/terminat/i);
    // Nothing of the killed transaction was kept, and the pool hands out a healthy connection.
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO killed_tx VALUES (3)');
    });
    const { rows } = await db.query<{ n: number }>('SELECT n FROM killed_tx ORDER BY n');
    expect(rows.map((row) => row.n)).toEqual([3]);
  });
});

describe.each(['pglite', 'postgres'] as const)('transaction settings on %s', (backend) => {
  let server: TestServer | null = null;
  let db: Database;

  beforeAll(async () => {
    if (backend === 'postgres') server = await startPostgres();
    db = await openDatabase(server ? { url: server.url, maxConnections: 1 } : { dataDir: 'memory://' });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it('sets them for the transaction only, and refuses a name that is not one', async () => {
    const seqscan = async (q: Pick<Database, 'query'>) =>
      (await q.query<{ enable_seqscan: string }>('SHOW enable_seqscan')).rows[0]?.enable_seqscan;
    const inside = await db.transaction((tx) => seqscan(tx), { settings: { enable_seqscan: 'off' } });
    expect(inside).toBe('off');
    // The same (only) connection afterwards: back to the default.
    expect(await seqscan(db)).toBe('on');
    await expect(
      db.transaction(async () => 1, { settings: { 'enable_seqscan = on; DROP TABLE x; --': 'off' } }),
    ).rejects.toThrow('not a setting name');
  });
});
