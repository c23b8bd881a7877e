import type { QueueMap } from '@sluice/contracts';
import type { Logger } from '@sluice/logger';
import type { Database } from '@sluice/store';
import type { RedisClient } from '@sluice/worker-runtime';
import type { Backlog } from './backpressure';

/** What every route module gets: the index, the queues, and a producer Redis connection. */
export interface ApiContext {
  /** The primary: every write, and the reads that must see a write just made. */
  db: Database;
  /**
   * Where read-only routes read (search, stories, entities, documents, export, pages): a read
   * replica when DATABASE_READ_URL is set, else the primary. A replica lags: see `readById`.
   */
  reads?: Database;
  queues: QueueMap;
  redis: RedisClient;
  logger: Logger;
  /** The stage whose backlog is over the limit, or null when submissions are welcome. */
  backlog?: () => Promise<Backlog | null>;
}

/**
 * Reads one thing by id from the replica, and from the primary when the replica has nothing:
 * an id a client just got (a document indexed a moment ago, a story a merge just made) is then
 * never a 404 because the replica has not replayed it yet. Lists and searches are not retried:
 * they may trail the primary by the replica's lag.
 */
export async function readById<T>(
  { db, reads = db }: Pick<ApiContext, 'db' | 'reads'>,
  read: (from: Database) => Promise<T | null>,
): Promise<T | null> {
  const found = await read(reads);
  if (found !== null || reads === db) return found;
  return read(db);
}
