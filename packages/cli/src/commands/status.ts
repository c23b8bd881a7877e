import { parseArgs } from 'node:util';
import { apiTarget, callApi } from '../api-client';
import { banner } from '../banner';
import { readInstance } from '../instance';
import { count } from '../output';
import type { Command } from './index';

type JobCounts = Record<string, number>;

/** What GET /status answers. */
export interface StatusAnswer {
  documents: number;
  queues: Record<string, JobCounts>;
  feeds: { total: number; byStatus: Record<string, number>; failing: number };
  recentFailures: { queue: string; id: string; at: string; reason: string }[];
}

/** The status as a few lines under the banner. */
export function formatStatus(status: StatusAnswer): string {
  const lines = [`Index: ${count(status.documents, 'document')}`, 'Queues:'];
  const width = Math.max(...Object.keys(status.queues).map((name) => name.length));
  for (const [name, c] of Object.entries(status.queues)) {
    const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
    lines.push(
      `  ${name.padEnd(width)}  ${waiting} waiting, ${c.active ?? 0} active, ${c.delayed ?? 0} delayed, ${c.completed ?? 0} done, ${c.failed ?? 0} failed`,
    );
  }
  const states = Object.entries(status.feeds.byStatus)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  lines.push(
    `Feeds: ${count(status.feeds.total, 'feed')}${states ? ` (${states})` : ''}, ${status.feeds.failing} failing`,
  );
  if (status.recentFailures.length === 0) lines.push('Recent failures: none');
  else {
    lines.push('Recent failures:');
    for (const failure of status.recentFailures)
      lines.push(`  ${failure.at}  ${failure.queue} ${failure.id}: ${failure.reason}`);
  }
  return lines.join('\n');
}

export const statusCommand: Command = {
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const target = apiTarget();
    const status = (await (await callApi('GET', '/status')).json()) as StatusAnswer;
    if (values.json) {
      console.log(JSON.stringify({ api: target.url, via: target.via, ...status }, null, 2));
      return 0;
    }
    const dataDir = process.env.SLUICE_DATA_DIR || '.data';
    const instance = readInstance(dataDir);
    const local = instance?.url === target.url ? instance : null;
    if (local) console.log(banner({ url: target.url, pid: local.pid, dataDir, demoFeedUrl: null }).trimEnd());
    else console.log(`Sluice API: ${target.url}/ (from ${target.via})`);
    console.log(formatStatus(status));
    return 0;
  },
};
