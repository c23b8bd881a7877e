import pg from 'pg';
import type { ChaosRedis } from './servers';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The suite's own view of the index: counts documents by id, tolerating an index that is down. */
export class IndexProbe {
  private readonly pool: pg.Pool;
  private lastCount = 0;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2_000 });
    this.pool.on('error', () => {});
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params)).rows as Row[];
  }

  /** How many of `ids` have a row; the last known count while the database is away. */
  async indexedOf(ids: readonly string[]): Promise<number> {
    try {
      const rows = await this.query<{ n: string }>('SELECT count(*) AS n FROM documents WHERE id = ANY($1)', [
        ids,
      ]);
      this.lastCount = Number(rows[0]?.n ?? 0);
    } catch {
      // the index is down or not migrated yet
    }
    return this.lastCount;
  }

  /**
   * Resolves once every id has a row; rejects naming how many are missing at `timeoutMs` and,
   * through `explain`, where the first missing ones are (their jobs' states).
   */
  async waitIndexed(
    ids: readonly string[],
    timeoutMs: number,
    explain?: (missing: string[]) => Promise<string>,
  ): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if ((await this.indexedOf(ids)) >= ids.length) return (Date.now() - started) / 1_000;
      await sleep(250);
    }
    const missing = await this.missingOf(ids).catch(() => []);
    const shown = missing.slice(0, 10);
    let where = explain && shown.length > 0 ? `: ${await explain(shown).catch(String)}` : '';
    // The indexer keeps going while the states are read: a job seen completed may have written
    // its row after the first look. Say which, so a race is not read as a lost row.
    const since = new Set(await this.missingOf(shown).catch(() => shown));
    const landed = shown.filter((id) => !since.has(id));
    if (landed.length > 0) where += ` (indexed while these states were read: ${landed.join(', ')})`;
    throw new Error(`${missing.length} of ${ids.length} documents not indexed in ${timeoutMs} ms${where}`);
  }

  /** The ids without a row. */
  async missingOf(ids: readonly string[]): Promise<string[]> {
    const rows = await this.query<{ id: string }>('SELECT id FROM documents WHERE id = ANY($1)', [ids]);
    const found = new Set(rows.map((row) => row.id));
    return ids.filter((id) => !found.has(id));
  }

  /** Seconds from now until one more of `ids` is indexed: how long the pipeline took to move again. */
  async secondsUntilProgress(ids: () => readonly string[], timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    const before = await this.indexedOf(ids());
    while (Date.now() - started < timeoutMs) {
      const now = await this.indexedOf(ids());
      if (now > before) return (Date.now() - started) / 1_000;
      // Nothing was left to do when the fault ended: no wait to measure.
      if (ids().length > 0 && before >= ids().length) return 0;
      await sleep(100);
    }
    return Number.NaN;
  }

  close() {
    return this.pool.end();
  }
}

/** Samples Redis's used memory in the background; keeps the peak. */
export class MemorySampler {
  peakBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly redis: ChaosRedis) {}

  start(): void {
    const client = this.redis.client();
    this.timer = setInterval(async () => {
      try {
        const info = await client.info('memory');
        const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
        this.peakBytes = Math.max(this.peakBytes, used);
      } catch {
        // Redis is being restarted by the suite
      }
    }, 250);
    this.stop = () => {
      if (this.timer) clearInterval(this.timer);
      client.disconnect();
    };
  }

  stop: () => void = () => {};
}

export const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
