import type { Database } from './database';
import { documentMigrations } from './document-schema';
import { exportMigrations } from './export-schema';
import { runMigrations } from './migrations';
import { webhookMigrations } from './webhook-schema';

/** Brings every store namespace's tables up to date. Safe to call from several processes at once. */
export async function migrateStore(db: Database): Promise<void> {
  await runMigrations(db, 'documents', documentMigrations);
  await runMigrations(db, 'export', exportMigrations);
  await runMigrations(db, 'webhooks', webhookMigrations);
}
