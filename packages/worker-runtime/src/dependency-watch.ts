import type { Logger } from '@sluice/logger';
import type { Worker } from 'bullmq';
import { readableReason } from './classify-error';
import type { Runtime } from './runtime';
import { transientDelayMs } from './transient-wait';

/**
 * Pauses a service's workers while its database is down, so they stop taking jobs only to put
 * them back, and resumes them (promoting the jobs that were put back) as soon as a probe
 * answers. One probe loop at a time however many jobs report the outage.
 */
export class DatabaseWatch {
  private down: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly runtime: Pick<Runtime, 'db' | 'logger'>,
    private readonly workers: () => Worker[],
    private readonly probe: () => Promise<unknown> = () => runtime.db?.query('SELECT 1') ?? Promise.resolve(),
  ) {}

  /** A job met a database fault: pause (once) and probe until the database answers. */
  reportDown(error: unknown): void {
    if (this.down || this.stopped || !this.runtime.db) return;
    this.down = this.waitUntilUp(readableReason(error)).finally(() => {
      this.down = null;
    });
  }

  get isDown(): boolean {
    return this.down !== null;
  }

  stop(): void {
    this.stopped = true;
  }

  private async waitUntilUp(reason: string): Promise<void> {
    const log: Logger = this.runtime.logger;
    const started = Date.now();
    log.warn({ dependency: 'database', reason }, 'database unavailable: pausing workers until it answers');
    await Promise.all(this.workers().map((worker) => worker.pause(true).catch(() => {})));
    let lastLogged = Date.now();
    let lastReason = reason;
    for (let tries = 0; !this.stopped; tries++) {
      try {
        await this.probe();
        break;
      } catch (error) {
        lastReason = readableReason(error);
        if (Date.now() - lastLogged >= 10_000) {
          lastLogged = Date.now();
          log.warn(
            { dependency: 'database', reason: lastReason, downForMs: Date.now() - started },
            'database still unavailable; workers paused',
          );
        }
        // Probing is cheap: at most every 2 s, so work resumes soon after the database is back.
        await new Promise((resolve) => setTimeout(resolve, Math.min(transientDelayMs(tries), 2_000)));
      }
    }
    if (this.stopped) return;
    for (const worker of this.workers()) {
      worker.resume();
    }
    log.info(
      { dependency: 'database', downForMs: Date.now() - started, lastReason },
      'database answers again: workers resumed',
    );
  }
}
