import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sluice/local-redis';
import pg from 'pg';
import type { TestServer } from './test-server';

/** The directory holding initdb and postgres: PATH first, then Debian's versioned layout. */
export function findPostgresBinDir(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/**
 * initdb + postgres on a free loopback port in a temporary directory. PostgreSQL refuses to
 * run as root, so as root the server runs as the `postgres` user (or `nobody`).
 */
export async function startLocalPostgres(): Promise<TestServer> {
  const bin = findPostgresBinDir();
  if (!bin)
    throw new Error('no PostgreSQL binaries (initdb, postgres) found on PATH or in /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-pg-'));
  const dataDir = join(dir, 'data');
  const asOwner = initPostgresDataDir(bin, dir, dataDir);
  return runPostgres(bin, dir, dataDir, asOwner, () => rmSync(dir, { recursive: true, force: true }));
}

/** Starts `postgres` on an initialised data directory on a free loopback port; waits for it. */
export async function runPostgres(
  bin: string,
  socketDir: string,
  dataDir: string,
  asOwner: { uid?: number; gid?: number },
  cleanUp: () => void,
): Promise<TestServer> {
  const port = await freePort();
  const server: ChildProcess = spawn(join(bin, 'postgres'), postgresServerArgs(dataDir, port, socketDir), {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asOwner,
  });
  let output = '';
  server.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitForPostgres(url, server, () => output);
  return {
    url,
    kind: 'local',
    stop: async () => {
      if (server.exitCode === null) {
        await new Promise<void>((resolve) => {
          server.once('exit', () => resolve());
          server.kill('SIGINT'); // fast shutdown
        });
      }
      cleanUp();
    },
  };
}

/**
 * initdb into `dataDir` (inside `dir`), owned by the user PostgreSQL will run as; returns the
 * spawn options that run a process as that user.
 */
export function initPostgresDataDir(
  bin: string,
  dir: string,
  dataDir: string,
): { uid?: number; gid?: number } {
  const owner = postgresOwner();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', ...asOwner },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  return asOwner;
}

/** The test server's settings: loopback only, durability off (tests do not survive a crash). */
export function postgresServerArgs(dataDir: string, port: number, socketDir: string): string[] {
  return [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=128MB',
  ];
}

/** As root, the user PostgreSQL runs as (it refuses root); null otherwise. */
export const postgresOwner = () => (process.getuid?.() === 0 ? unprivilegedUser() : null);

function unprivilegedUser(): { uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (result.status === 0) {
      const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim();
      return { uid: Number(result.stdout.trim()), gid: Number(gid) };
    }
  }
  throw new Error('running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as');
}

async function waitForPostgres(url: string, server: ChildProcess, output: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}: ${output()}`);
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {}); // a server still starting drops connections; connect() reports it
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`postgres did not accept connections within ${timeoutMs} ms: ${output()}`);
}
