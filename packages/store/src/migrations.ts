import type { Database } from './database';

/**
 * Applies a module's migrations in order, once each. Every module (documents, feeds...) keeps
 * its own numbered list under its own namespace, so modules can evolve their tables independently.
 * A PostgreSQL advisory lock makes concurrent starts (several indexer copies) apply each once.
 */
export async function runMigrations(db: Database, namespace: string, migrations: readonly string[]) {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    namespace text NOT NULL,
    version integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, version)
  )`);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sluice-migrations:${namespace}`]);
    const { rows } = await tx.query<{ version: number }>(
      'SELECT version FROM schema_migrations WHERE namespace = $1',
      [namespace],
    );
    const applied = new Set(rows.map((row) => row.version));
    for (const [index, sql] of migrations.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (namespace, version) VALUES ($1, $2)', [
        namespace,
        version,
      ]);
    }
  });
}

/** Splits a migration script on top-level semicolons (no function bodies in our migrations). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0 && !/^--[^\n]*$/.test(statement));
}
