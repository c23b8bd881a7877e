import { parseArgs } from 'node:util';
import { apiTarget, callApi } from '../api-client';
import { expandPaths, type IngestItem, readManifest } from '../ingest/inputs';
import { formatSummary, IngestReporter, type Outcome } from '../ingest/report';
import { ItemProblem, submitItem } from '../ingest/submit';
import { documentStates, isFinal } from '../ingest/track';
import { count } from '../output';
import type { Command } from './index';

const POLL_EVERY_MS = 400;
/** How long the API may be unreachable mid-run before the run gives up. */
const UNREACHABLE_GRACE_MS = 30_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export const ingestCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        manifest: { type: 'string', multiple: true },
        url: { type: 'string' },
        source: { type: 'string' },
        wait: { type: 'boolean', default: true },
        'no-wait': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        concurrency: { type: 'string', default: '4' },
      },
    });
    const items: IngestItem[] = await expandPaths(positionals, { source: values.source, url: values.url });
    for (const manifest of values.manifest ?? [])
      items.push(...(await readManifest(manifest, values.source)));
    if (items.length === 0)
      throw new Error('nothing to ingest: name files, directories, URLs or --manifest FILE.jsonl');
    const timeoutS = values.timeout === undefined ? null : Number(values.timeout);
    if (timeoutS !== null && !(timeoutS > 0)) throw new Error('--timeout is a number of seconds');
    const concurrency = Math.max(1, Math.min(32, Number(values.concurrency) || 4));
    const wait = values.wait && !values['no-wait'];

    const target = apiTarget();
    await callApi('GET', '/healthz', undefined, undefined, { timeoutMs: 5_000 }); // unreachable: say so before reading anything
    process.stderr.write(
      `sending ${count(items.length, 'document')} to ${target.url} (from ${target.via})\n`,
    );

    const run = new IngestRun(items, {
      wait,
      concurrency,
      reporter: new IngestReporter({
        json: values.json,
        total: items.length,
        progress: process.stderr.isTTY === true && wait,
      }),
    });
    const onInterrupt = () => (run.stoppedBy ? process.exit(130) : run.stop('Ctrl+C'));
    process.on('SIGINT', onInterrupt);
    const timer = timeoutS ? setTimeout(() => run.stop(`--timeout ${timeoutS} s`), timeoutS * 1000) : null;
    try {
      return await run.execute();
    } finally {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onInterrupt);
    }
  },
};

/** One `sluice ingest`: send with bounded concurrency, follow the sent ones, report as they finish. */
class IngestRun {
  stoppedBy: string | null = null;
  private readonly abort = new AbortController();
  private readonly pending = new Map<string, IngestItem[]>();
  private next = 0;
  private sending = 0;
  private fatal: Error | null = null;
  private tally = { indexed: 0, failed: 0, skipped: 0, queued: 0 };
  private readonly startedAt = Date.now();

  constructor(
    private readonly items: IngestItem[],
    private readonly options: { wait: boolean; concurrency: number; reporter: IngestReporter },
  ) {}

  stop(reason: string) {
    this.stoppedBy ??= reason;
    this.abort.abort();
  }

  async execute(): Promise<number> {
    const senders = Array.from({ length: this.options.concurrency }, () => this.sendLoop());
    const following = this.options.wait ? this.followLoop() : Promise.resolve();
    await Promise.all([...senders, following]);
    const pending = [...this.pending.values()].reduce((sum, list) => sum + list.length, 0);
    const sent = this.tally.indexed + this.tally.failed + this.tally.skipped + this.tally.queued + pending;
    this.options.reporter.finish(
      formatSummary(
        {
          total: this.items.length,
          indexed: this.tally.indexed,
          failed: this.tally.failed,
          skipped: this.tally.skipped,
          pending,
          unsent: this.items.length - Math.min(sent, this.items.length),
          elapsedMs: Date.now() - this.startedAt,
        },
        this.options.wait ? this.stoppedBy : null,
      ),
    );
    if (this.fatal) throw this.fatal;
    if (this.stoppedBy === 'Ctrl+C') return 130;
    return this.tally.failed > 0 || pending > 0 || (this.stoppedBy && this.options.wait) ? 1 : 0;
  }

  private report(outcome: Outcome) {
    if (outcome.status in this.tally) this.tally[outcome.status as keyof typeof this.tally]++;
    this.options.reporter.result(outcome);
  }

  private async sendLoop() {
    while (!this.abort.signal.aborted && this.next < this.items.length) {
      const item = this.items[this.next++] as IngestItem;
      this.sending++;
      try {
        const id = await submitItem(item, this.abort.signal);
        if (!this.options.wait) this.report({ input: item.label, id, status: 'queued' });
        else this.pending.set(id, [...(this.pending.get(id) ?? []), item]);
      } catch (error) {
        if (error instanceof ItemProblem)
          this.report({ input: item.label, id: null, status: 'failed', error: error.message });
        else {
          this.fatal ??= error as Error;
          this.stop('an error');
        }
      } finally {
        this.sending--;
      }
    }
  }

  private async followLoop() {
    let unreachableSince: number | null = null;
    while (
      !this.abort.signal.aborted &&
      (this.pending.size > 0 || this.sending > 0 || this.next < this.items.length)
    ) {
      await sleep(POLL_EVERY_MS, this.abort.signal);
      if (this.pending.size === 0 || this.abort.signal.aborted) continue;
      try {
        const states = await documentStates([...this.pending.keys()]);
        unreachableSince = null;
        for (const state of states) {
          if (!isFinal(state.status)) continue;
          for (const item of this.pending.get(state.id) ?? [])
            this.report({
              input: item.label,
              id: state.id,
              status: state.status,
              title: state.title,
              error: state.status === 'indexed' ? null : state.reason,
            });
          this.pending.delete(state.id);
        }
      } catch (error) {
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > UNREACHABLE_GRACE_MS) {
          this.fatal ??= error as Error;
          this.stop('an error');
        }
      }
    }
  }
}
