import { startPostgres, type TestServer } from '@sluice/testkit';
import { afterAll } from 'vitest';
import { type Database, openDatabase } from './database';
import { migrateStore } from './migrate-store';

/** Test-only: the two backends every store test runs against. */
export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

let server: Promise<TestServer> | null = null;
let databaseCounter = 0;

/**
 * A fresh, migrated database on the backend: in-memory PGlite, or a new database on one real
 * PostgreSQL server shared by the file's tests (stopped after them).
 */
export async function freshDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    return db;
  }
  if (!server) {
    server = startPostgres();
    afterAll(async () => (await server)?.stop());
  }
  const { url } = await server;
  const admin = await openDatabase({ url, maxConnections: 1 });
  const name = `store_test_${process.pid}_${Date.now()}_${databaseCounter++}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ url: target.toString(), maxConnections: 4 });
  await migrateStore(db);
  return db;
}
