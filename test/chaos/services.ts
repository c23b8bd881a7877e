import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export type ServiceName = 'api' | 'fetcher' | 'extractor' | 'indexer';

const running = new Set<ChildProcess>();
// Whatever ends the suite, no service outlives it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** One service running as its own process (`node --import tsx services/<name>/src/main.ts`). */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  exitedAt: number | null = null;
  private readonly exit: Promise<number | null>;
  private readonly out: WriteStream;

  constructor(
    readonly name: ServiceName,
    readonly label: string,
    readonly logFile: string,
    env: Record<string, string>,
  ) {
    this.out = createWriteStream(logFile, { flags: 'a' });
    this.child = spawn(process.execPath, ['--import', 'tsx', join('services', name, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.child);
    this.child.stdout?.pipe(this.out, { end: false });
    let stderr = '';
    this.child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      this.stderrLines += String(chunk).split('\n').filter(Boolean).length;
    });
    this.exit = new Promise((done) =>
      this.child.once('exit', (code) => {
        this.exitedAt = Date.now();
        running.delete(this.child);
        if (stderr) this.out.write(`${JSON.stringify({ stderr: stderr.slice(-4000) })}\n`);
        done(code);
      }),
    );
  }

  stderrLines = 0;

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  exited(): Promise<number | null> {
    return this.exit;
  }

  /** Every line this process wrote to stdout (its log). */
  logLines(): string[] {
    return readFileSync(this.logFile, 'utf8').split('\n').filter(Boolean);
  }
}
