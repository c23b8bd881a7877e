import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sluiceBin = resolve(repoRoot, 'packages/cli/bin/sluice.js');

export interface RunningSluice {
  apiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `sluice start` as a user runs it, configured by environment; its output goes to `logFile`. */
export async function startSluice(env: Record<string, string>, logFile: string): Promise<RunningSluice> {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [sluiceBin, 'start'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('error', (error) => log.write(`spawn error: ${error.message}\n`));
  const apiUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`sluice start exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${apiUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`sluice start did not answer in 120 s; see ${logFile}`);
    await new Promise((done) => setTimeout(done, 250));
  }
  return {
    apiUrl,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

/** `sluice extract --jsonl` over the given lines: one parsed output per input, in order. */
export async function sluiceExtract(lines: object[]): Promise<Record<string, unknown>[]> {
  const child = spawn(process.execPath, [sluiceBin, 'extract', '--jsonl'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => done(code ?? 1));
  });
  for (const line of lines) {
    if (!child.stdin.write(`${JSON.stringify(line)}\n`))
      await new Promise((done) => child.stdin.once('drain', done));
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`sluice extract exited with ${code}`);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
