import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface LocalRedisServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts `redis-server` from PATH on loopback with its data under `dataDir`. Production-like
 * settings: AOF on, and noeviction so queued jobs are never silently dropped.
 */
export async function startRedisServer(options: {
  dataDir: string;
  port?: number;
  appendOnly?: boolean;
  binary?: string;
  /**
   * Run in its own process group, so a Ctrl+C in the terminal reaches only the process that
   * started it, which stops it after the workers that use it (`sluice start`).
   */
  ownProcessGroup?: boolean;
  /** More `redis-server` settings, by name (`auto-aof-rewrite-min-size: '256mb'`). */
  settings?: Record<string, string>;
}): Promise<LocalRedisServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dataDir,
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--protected-mode',
    'yes',
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [`--${name}`, value]),
  ];
  const child = spawn(options.binary ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup === true,
  });
  // redis-server never outlives the process that started it, even one that exits without stopping it.
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `redis://127.0.0.1:${port}`;
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(error));
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      reject(new Error(`redis-server exited with code ${code}: ${output.trim()}`));
    });
  });
  await Promise.race([waitUntilAnswers(url), spawnFailed]);
  child.removeAllListeners('exit');
  child.once('exit', () => process.off('exit', killOnExit));
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** True when something answers PING at the URL within the timeout. */
export async function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilAnswers(url: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await redisAnswers(url, 300)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server at ${url} did not answer within ${timeoutMs} ms`);
}
