import type { QueueMap } from '@sluice/contracts';
import type { Logger } from '@sluice/logger';
import type { Database } from '@sluice/store';
import type { RedisClient } from '@sluice/worker-runtime';
import type { Backlog } from './backpressure';

/** What every route module gets: the index, the queues, and a producer Redis connection. */
export interface ApiContext {
  db: Database;
  queues: QueueMap;
  redis: RedisClient;
  logger: Logger;
  /** The stage whose backlog is over the limit, or null when submissions are welcome. */
  backlog?: () => Promise<Backlog | null>;
}
