import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, redisAnswers } from '@sluice/local-redis';
import { startPostgres, type TestServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The command as installed: a shell launcher that execs node with start's memory settings.
const BIN = join(ROOT, 'packages/cli/bin/sluice');

/** Every process below `pid`, read from /proc (Linux), with its command. */
function descendants(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      let command = '?';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {}
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => boolean, timeoutMs: number, what: string, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; output:\n${output()}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

describe('sluice start: one instance per data directory, every signal stops everything', () => {
  let postgres: TestServer;
  const base = (dataDir: string, port: number) => ({
    SLUICE_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SLUICE_DEMO_FEED: 'off',
    DATABASE_URL: postgres.url,
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
  });
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });

  it('refuses a second start on the same data dir, fails on a taken port, and stops all it started on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-start-'));
    const port = await freePort();
    const first = launch(BIN, ['start'], base(dataDir, port));
    await until(() => first.output().includes('Sluice is running'), 150_000, 'no banner', first.output);
    expect(first.output()).toContain(`Sluice is running: http://127.0.0.1:${port}/`);
    // The launcher replaced itself with node (same PID), with the settings read only at start-up.
    const pid = first.child.pid as number;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=4');
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');
    const tree = descendants(first.child.pid as number);
    console.log(
      `sluice start ${first.child.pid} runs: ${tree.map((p) => p.command).join(' | ') || 'no child'}`,
    );

    const second = launch(BIN, ['start'], base(dataDir, await freePort()));
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `Sluice is already running on this data directory (${dataDir}): http://127.0.0.1:${port}/ (PID ${first.child.pid})`,
    );

    const otherDir = mkdtempSync(join(tmpdir(), 'sluice-start-'));
    const taken = launch(BIN, ['start'], base(otherDir, port));
    expect(await taken.exited).toBe(1);
    expect(taken.output()).toContain(`port ${port} on 127.0.0.1 is in use by another program (set PORT`);
    expect(existsSync(join(otherDir, 'sluice.instance.json'))).toBe(false);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await until(() => tree.every((p) => !alive(p.pid)), 15_000, 'children left', first.output);
    expect(existsSync(join(dataDir, 'sluice.instance.json'))).toBe(false);
  }, 240_000);

  for (const signal of ['SIGINT', 'SIGHUP'] as const) {
    it(`npm start stops everything it started on ${signal}, redis-server included`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sluice-npm-start-'));
      const npm = launch('npm', ['start', '--silent'], base(dataDir, await freePort()));
      await until(() => npm.output().includes('Sluice is running'), 150_000, 'no banner', npm.output);
      const tree = descendants(npm.child.pid as number);
      const redis = tree.find((p) => p.command.startsWith('redis-server'));
      if (!redis) {
        // sluice start uses a Redis on 6379 when one answers, and then starts none of its own.
        expect(await redisAnswers('redis://127.0.0.1:6379')).toBe(true);
        console.log('a Redis answered on 127.0.0.1:6379, so sluice start ran no redis-server of its own');
      }
      expect(tree.some((p) => p.command.includes('sluice'))).toBe(true);
      npm.child.kill(signal);
      await until(
        () => tree.every((p) => !alive(p.pid)),
        45_000,
        `processes left after ${signal}`,
        npm.output,
      );
    }, 240_000);
  }
});
