import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinDir, initPostgresDataDir, postgresServerArgs } from '@sluice/testkit';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * A free TCP port on loopback below the kernel's ephemeral range (32768 and up on Linux):
 * the suite holds ports unbound for a while (Redis absent at start, the API waiting for it),
 * and a port from the ephemeral range can meanwhile become the local end of some connection.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

/**
 * A redis-server the fault suite can stop, kill and start again on the same port and data:
 * append-only file fsynced every second, as in production, and a fixed maxmemory.
 */
export class ChaosRedis {
  private process: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-redis-'));

  private constructor(
    readonly port: number,
    readonly maxmemory: number,
  ) {}

  static async reserve(maxmemory: number): Promise<ChaosRedis> {
    return new ChaosRedis(await freePort(), maxmemory);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory',
        String(this.maxmemory),
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    children.add(this.process);
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    for (let i = 0; i < 200; i++) {
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') break;
      } catch {
        client.disconnect();
        await sleep(50);
      }
    }
    // Loading the append-only file: wait until Redis serves data.
    for (let i = 0; i < 400; i++) {
      try {
        await client.get('chaos:probe');
        break;
      } catch {
        await sleep(50);
      }
    }
    client.disconnect();
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    child.kill(signal);
    await exited(child);
  }

  /** A short-lived client for the suite's own reads; errors are the caller's. */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    return client;
  }

  destroy(): void {
    this.process?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A PostgreSQL server the suite can stop and start again on the same port and data. */
export class ChaosPostgres {
  private process: ChildProcess | null = null;
  private readonly bin: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-pg-'));
  private readonly owner: { uid?: number; gid?: number };

  private constructor(readonly port: number) {
    const bin = findPostgresBinDir();
    if (!bin) throw new Error('no PostgreSQL binaries (initdb, postgres) on PATH or in /usr/lib/postgresql');
    this.bin = bin;
    this.owner = initPostgresDataDir(bin, this.dir, this.dataDir);
  }

  static async create(): Promise<ChaosPostgres> {
    return new ChaosPostgres(await freePort());
  }

  private get dataDir() {
    return join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.process = spawn(join(this.bin, 'postgres'), postgresServerArgs(this.dataDir, this.port, this.dir), {
      stdio: 'ignore',
      ...this.owner,
    });
    children.add(this.process);
    for (let i = 0; i < 600; i++) {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
        await sleep(50);
      }
    }
    throw new Error('PostgreSQL did not start');
  }

  /** Fast shutdown (SIGINT): every session is ended, as in a restart by an operator. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGINT');
    await exited(child);
  }

  destroy(): void {
    this.process?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
