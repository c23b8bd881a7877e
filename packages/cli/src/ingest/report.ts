import { MultiBar, type SingleBar } from 'cli-progress';
import { count } from '../output';

/** How one item ended (or where it stood when the run stopped). */
export interface Outcome {
  input: string;
  id: string | null;
  status: 'indexed' | 'failed' | 'skipped' | 'queued' | 'pending';
  title?: string | null;
  error?: string | null;
}

export interface Tally {
  total: number;
  indexed: number;
  failed: number;
  skipped: number;
  /** Sent but not finished when the run stopped. */
  pending: number;
  /** Never sent (Ctrl+C or --timeout before their turn). */
  unsent: number;
  elapsedMs: number;
}

export function formatOutcome(outcome: Outcome): string {
  const detail =
    outcome.status === 'indexed' ? (outcome.title ?? '(untitled)') : (outcome.error ?? outcome.status);
  return `${(outcome.id ?? '-').padEnd(32)}  ${outcome.status.padEnd(7)}  ${outcome.input}  ${detail}`;
}

/** The closing lines: what finished, how fast, and what is still under way. */
export function formatSummary(tally: Tally, stoppedBy: string | null): string {
  const seconds = tally.elapsedMs / 1000;
  const finished = tally.indexed + tally.failed + tally.skipped;
  const rate = seconds > 0 ? (finished / seconds).toFixed(1) : '0';
  const parts = [`${tally.indexed} indexed`, `${tally.failed} failed`];
  if (tally.skipped) parts.push(`${tally.skipped} skipped`);
  const lines = [
    `${count(tally.total, 'document')}: ${parts.join(', ')} in ${seconds.toFixed(1)} s (${rate} documents/s)`,
  ];
  if (stoppedBy) {
    const left: string[] = [];
    if (tally.pending) left.push(`${count(tally.pending, 'document')} still in the pipeline (they carry on)`);
    if (tally.unsent) left.push(`${count(tally.unsent, 'document')} not sent`);
    lines.push(`stopped by ${stoppedBy}${left.length ? `: ${left.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * Prints outcomes as they arrive (text or JSON lines on stdout) and, in a terminal, a progress
 * bar on stderr with done, failed, rate and ETA. Lines printed while the bar shows go above it.
 */
export class IngestReporter {
  private readonly bars: MultiBar | null;
  private readonly bar: SingleBar | null;
  private readonly startedAt = Date.now();
  private done = 0;
  private failed = 0;

  constructor(private readonly options: { json: boolean; total: number; progress: boolean }) {
    if (!options.progress) {
      this.bars = null;
      this.bar = null;
      return;
    }
    this.bars = new MultiBar({
      stream: process.stderr,
      format: ' {bar} {value}/{total} | {failed} failed | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    });
    this.bar = this.bars.create(options.total, 0, { failed: 0, rate: '0.0' });
  }

  result(outcome: Outcome) {
    if (outcome.status === 'indexed' || outcome.status === 'skipped' || outcome.status === 'failed')
      this.done++;
    if (outcome.status === 'failed') this.failed++;
    const line = this.options.json ? JSON.stringify(outcome) : formatOutcome(outcome);
    // With stdout on the same terminal as the bar, print above the bar; else straight to stdout.
    if (this.bars && process.stdout.isTTY) this.bars.log(`${line}\n`);
    else process.stdout.write(`${line}\n`);
    const seconds = (Date.now() - this.startedAt) / 1000;
    this.bar?.update(this.done, {
      failed: this.failed,
      rate: seconds > 0 ? (this.done / seconds).toFixed(1) : '0.0',
    });
  }

  finish(summary: string) {
    this.bars?.stop();
    if (this.options.json) process.stderr.write(`${summary}\n`);
    else process.stdout.write(`${summary}\n`);
  }
}
