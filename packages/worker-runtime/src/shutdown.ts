import type { Logger } from '@sluice/logger';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0. `stop` is built to end within
 * `timeoutMs` (jobs still running are handed back to the queue); a second signal, or `stop`
 * outliving the deadline by two seconds anyway, exits 1 at once.
 */
export function onShutdownSignal(logger: Logger, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs + 2_000);
    deadline.unref();
    stop().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
