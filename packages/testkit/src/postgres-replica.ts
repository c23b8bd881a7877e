import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinDir, postgresOwner, runPostgres, startLocalPostgres } from './local-postgres';
import type { TestServer } from './test-server';

export interface PostgresWithReplica {
  primary: TestServer;
  /** A hot standby streaming from `primary` (read-only; it replays the primary's writes). */
  replica: TestServer;
  stop(): Promise<void>;
}

/**
 * A local PostgreSQL and a streaming replica of it, as in production: `pg_basebackup -R` from
 * the primary, then a hot standby on another free port. Local binaries only (containers and
 * TEST_DATABASE_URL cannot be cloned); returns the reason when that cannot run here.
 */
export async function startPostgresWithReplica(): Promise<PostgresWithReplica | { skipped: string }> {
  const bin = findPostgresBinDir();
  const basebackup = bin ? findBasebackup(bin) : null;
  if (!bin || !basebackup)
    return {
      skipped: 'no local PostgreSQL binaries with pg_basebackup (Debian: apt-get install postgresql)',
    };
  const primary = await startLocalPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-pg-replica-'));
  const owner = postgresOwner();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const { port } = new URL(primary.url);
  const dataDir = join(dir, 'data');
  // initdb's trust rules admit replication connections from loopback; -R writes standby.signal
  // and primary_conninfo, so the copy starts as a standby streaming from the primary.
  const backup = spawnSync(
    basebackup,
    ['-D', dataDir, '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-R', '-X', 'stream', '--no-sync'],
    { encoding: 'utf8', ...asOwner },
  );
  if (backup.status !== 0) {
    await primary.stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_basebackup failed: ${backup.stderr || backup.stdout}`);
  }
  const replica = await runPostgres(bin, dir, dataDir, asOwner, () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  return {
    primary,
    replica,
    stop: async () => {
      await replica.stop();
      await primary.stop();
    },
  };
}

/** pg_basebackup beside initdb, in Debian's versioned layout, or on PATH. */
function findBasebackup(bin: string): string | null {
  const candidates = [join(bin, 'pg_basebackup')];
  const root = '/usr/lib/postgresql';
  if (existsSync(root))
    for (const version of readdirSync(root)) candidates.push(join(root, version, 'bin', 'pg_basebackup'));
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const onPath = spawnSync('sh', ['-c', 'command -v pg_basebackup'], { encoding: 'utf8' }).stdout.trim();
  return onPath || null;
}
