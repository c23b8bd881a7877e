import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What a parse thread hands back: feedsmith's result, or why it could not parse. */
export type RawFeedParse =
  | { ok: true; format: 'rss' | 'atom' | 'rdf' | 'json'; feed: Record<string, unknown> }
  | { ok: false; reason: 'json' | 'feed'; message: string };

export interface FeedParsePoolOptions {
  /** Parse threads at most (spawned on demand). */
  size: number;
  /** A parse taking longer than this is abandoned and its thread ended. */
  timeoutMs: number;
  /** Heap limit of each parse thread, so a pathological feed cannot take the worker's memory. */
  maxHeapMb: number;
}

export const DEFAULT_PARSE_POOL: FeedParsePoolOptions = { size: 1, timeoutMs: 10_000, maxHeapMb: 256 };

export class FeedParseTimeoutError extends Error {
  readonly code = 'feed-parse-timeout';
  readonly permanent = true;
}

/**
 * The thread's code. It is a string, not a file: the services run as one bundled file in
 * production, so a worker file next to this module would not exist there. It loads only the
 * feedsmith package (an npm dependency, present in every install) by the path resolved here.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parseFeed } = require(workerData.feedsmith);
parentPort.on('message', ({ id, text, json }) => {
  let value = text;
  if (json) {
    try { value = JSON.parse(text); }
    catch { parentPort.postMessage({ id, result: { ok: false, reason: 'json', message: 'feed is neither XML nor valid JSON' } }); return; }
  }
  try {
    const parsed = parseFeed(value);
    parentPort.postMessage({ id, result: { ok: true, format: parsed.format, feed: parsed.feed } });
  } catch (error) {
    parentPort.postMessage({ id, result: { ok: false, reason: 'feed', message: String(error && error.message || error) } });
  }
});
`;

interface Task {
  id: number;
  text: string;
  json: boolean;
  resolve: (result: RawFeedParse) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A small pool of `node:worker_threads` that run feedsmith's parse of large feeds, so one huge
 * item or a very long feed never holds the worker's event loop (timers, lock renewals, health
 * checks) for the length of the parse. Threads start on first use and are unref'd.
 */
export class FeedParsePool {
  readonly options: FeedParsePoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private readonly feedsmith = createRequire(import.meta.url).resolve('feedsmith');

  constructor(options: Partial<FeedParsePoolOptions> = {}) {
    this.options = { ...DEFAULT_PARSE_POOL, ...options };
  }

  /** Parses XML text (already screened and bounded) or JSON text in a thread. */
  parse(text: string, json: boolean): Promise<RawFeedParse> {
    if (this.closed) return Promise.reject(new Error('feed parse pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, json, resolve, reject });
      this.dispatch();
    });
  }

  /** Threads running now (for tests and metrics). */
  get threads(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('feed parse pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => this.end(slot)));
  }

  private dispatch() {
    while (this.queue.length > 0) {
      let slot = this.slots.find((candidate) => candidate.task === null);
      if (!slot && this.slots.length < this.options.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => {
        this.fail(
          slot!,
          new FeedParseTimeoutError(`feed parse took over ${this.options.timeoutMs} ms; refused`),
        );
      }, this.options.timeoutMs);
      slot.timer.unref();
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, text: task.text, json: task.json });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { feedsmith: this.feedsmith },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    const slot: Slot = { worker, task: null, timer: null };
    worker.unref();
    worker.on('message', (message: { id: number; result: RawFeedParse }) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      this.settle(slot);
      task.resolve(message.result);
      this.dispatch();
    });
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', () => this.fail(slot, new Error('feed parse thread exited')));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  /** The thread is ended and dropped; its task fails; queued tasks go to a fresh thread. */
  private fail(slot: Slot, error: Error) {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const task = slot.task;
    this.settle(slot);
    void this.end(slot);
    task?.reject(error);
    if (!this.closed) this.dispatch();
  }

  private async end(slot: Slot) {
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate().catch(() => undefined);
  }
}

let shared: FeedParsePool | null = null;

/** The process's parse pool, created on first use with these options. */
export function sharedFeedParsePool(options: Partial<FeedParsePoolOptions> = {}): FeedParsePool {
  shared ??= new FeedParsePool(options);
  return shared;
}

/** Ends the process's parse threads (service shutdown, tests). */
export async function closeSharedFeedParsePool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
