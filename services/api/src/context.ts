import type { QueueMap } from '@sluice/contracts';
import type { Logger } from '@sluice/logger';
import type { Database } from '@sluice/store';
import type { Redis } from 'ioredis';

/** What every route module gets: the index, the queues, and a producer Redis connection. */
export interface ApiContext {
  db: Database;
  queues: QueueMap;
  redis: Redis;
  logger: Logger;
}
