import type { QueueMap } from '@sluice/contracts';
import type { Logger } from '@sluice/logger';
import { errorSummary } from './errors/error-handler';

const QUIET_MS = 10_000;

/**
 * An error listener on every Queue object: without one, an outage prints stack traces (or
 * crashes on an unhandled 'error' event). One short line per queue every 10 s at most.
 */
export function watchQueueErrors(queues: QueueMap, logger: Logger) {
  for (const [name, queue] of Object.entries(queues)) {
    let lastLogged = 0;
    queue.on('error', (error) => {
      if (Date.now() - lastLogged < QUIET_MS) return;
      lastLogged = Date.now();
      logger.warn({ queue: name, err: errorSummary(error) }, 'queue error (retrying)');
    });
  }
}
