// Memory of `sluice start` while documents stream through it, as a user runs it: the built
// command on a fresh data directory (embedded PGlite index, its own redis-server), documents
// sent through POST /documents, the RSS of the whole process tree sampled as they pass.
//   npm run bench:memory [-- --documents 20000 --concurrency 8 --every 5]
// Goal: under 400 MB and flat (the last quarter of the run no higher than the second).
// PSS is printed beside RSS: it shares each page among the processes that map it, so a forked
// redis-server (its AOF rewrite) is not counted twice. The goal stays on RSS.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '@sluice/local-redis';
import { samplePage } from './sample-pages';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    every: { type: 'string', default: '5' },
    'database-url': { type: 'string' },
  },
});
const N = Number(values.documents);
const CONCURRENCY = Number(values.concurrency);
const EVERY_MS = Number(values.every) * 1000;

/** RSS in MB of a process and everything below it, by command name, and the tree's PSS. */
function treeRss(root: number): { total: number; pss: number; byCommand: Record<string, number> } {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const byCommand: Record<string, number> = {};
  let total = 0;
  let pss = 0;
  const visit = (pid: number) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const command = /Name:\s+(\S+)/.exec(status)?.[1] ?? '?';
      byCommand[command] = (byCommand[command] ?? 0) + kb / 1024;
      total += kb / 1024;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
    } catch {}
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return { total, pss, byCommand };
}

const describe = (byCommand: Record<string, number>) =>
  Object.entries(byCommand)
    .map(([name, mb]) => `${name} ${mb.toFixed(0)}`)
    .join(', ');

interface Answer {
  status: number;
  retryAfter: number;
  body: { documents?: number; error?: string };
}

async function api(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    retryAfter: Number(response.headers.get('retry-after')),
    body: (await response.json()) as Answer['body'],
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-memory-'));
const port = await freePort();
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  SLUICE_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  SLUICE_DEMO_FEED: 'off',
  LOG_LEVEL: 'warn',
};
delete env.REDIS_URL;
if (values['database-url']) env.DATABASE_URL = values['database-url'];
else delete env.DATABASE_URL;
// The command as people run it: the launcher execs node with start's memory settings (same PID).
const start: ChildProcess = spawn(join(ROOT, 'packages/cli/bin/sluice'), ['start'], {
  env,
});
let output = '';
start.stdout?.on('data', (chunk) => (output += chunk));
start.stderr?.on('data', (chunk) => (output += chunk));
const startedAt = Date.now();
// Start-up is sampled too (every 250 ms): a fresh data directory's index is made then, in a child
// process, and that child counts in the tree like everything else `sluice start` runs.
let startupPeak = { total: 0, pss: 0, byCommand: {} as Record<string, number> };
while (!output.includes('Sluice is running')) {
  if (start.exitCode !== null || Date.now() - startedAt > 300_000)
    throw new Error(`sluice start did not start:\n${output}`);
  const rss = treeRss(start.pid as number);
  if (rss.total > startupPeak.total) startupPeak = rss;
  await new Promise((done) => setTimeout(done, 250));
}
const base = `http://127.0.0.1:${port}`;
console.log(
  `sluice start up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${values['database-url'] ? 'PostgreSQL' : 'embedded PGlite'}); peak RSS of the tree during start-up ${startupPeak.total.toFixed(0)} MB (${describe(startupPeak.byCommand)}); sending ${N} documents, ${CONCURRENCY} at a time; load ${loadavg()[0]?.toFixed(1)}`,
);

interface Sample {
  seconds: number;
  sent: number;
  indexed: number;
  total: number;
  pss: number;
  byCommand: Record<string, number>;
}
const samples: Sample[] = [];
let sent = 0;
let indexed = 0;
const runStarted = Date.now();
const sample = async () => {
  try {
    indexed = (await api(`${base}/status`)).body.documents ?? indexed;
  } catch {}
  const rss = treeRss(start.pid as number);
  samples.push({ seconds: (Date.now() - runStarted) / 1000, sent, indexed, ...rss });
  const row = samples.at(-1)!;
  console.log(
    `${row.seconds.toFixed(0).padStart(5)} s  sent ${String(sent).padStart(6)}  indexed ${String(indexed).padStart(6)}  RSS ${row.total.toFixed(0).padStart(4)} MB (${describe(row.byCommand)})  PSS ${row.pss.toFixed(0)} MB  load ${loadavg()[0]?.toFixed(1)}`,
  );
};
const sampler = setInterval(sample, EVERY_MS);
await sample();

let next = 0;
const sender = async () => {
  while (next < N) {
    const page = samplePage(next++);
    for (;;) {
      // A keep-alive socket the server closed while this sender waited out a Retry-After fails
      // the request before it is sent; sending a document again is harmless (its id is its URL).
      const answer = await api(`${base}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(page),
      }).catch((error: Error) => {
        if (start.exitCode !== null) throw error;
        return { status: 0, retryAfter: 1, body: {} } as Answer;
      });
      if (answer.status === 0) {
        await new Promise((done) => setTimeout(done, 1000));
        continue;
      }
      if (answer.status === 202) break;
      if (answer.status === 429 || answer.status === 503) {
        await new Promise((done) => setTimeout(done, (answer.retryAfter || 1) * 1000));
        continue;
      }
      throw new Error(`POST /documents: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    sent++;
  }
};
await Promise.all(Array.from({ length: CONCURRENCY }, sender));
const deadline = Date.now() + 30 * 60_000;
while (indexed < N && Date.now() < deadline) await new Promise((done) => setTimeout(done, EVERY_MS));
clearInterval(sampler);
await sample();
const seconds = (Date.now() - runStarted) / 1000;

const quarter = (q: number) => {
  const rows = samples.filter((row) => row.indexed >= (q * N) / 4 && row.indexed < ((q + 1) * N) / 4);
  return rows.length ? Math.max(...rows.map((row) => row.total)) : Number.NaN;
};
const peak = Math.max(...samples.map((row) => row.total));
const peakPss = Math.max(...samples.map((row) => row.pss));
const over = samples.filter((row) => row.total >= 400).length;
console.log(
  `\n${indexed} of ${N} documents indexed in ${seconds.toFixed(0)} s (${(indexed / seconds).toFixed(1)} docs/s); RSS of the tree: peak ${peak.toFixed(0)} MB while documents passed (${over} of ${samples.length} samples at 400 or above; PSS peak ${peakPss.toFixed(0)} MB), ${startupPeak.total.toFixed(0)} MB during start-up (goal < 400)`,
);
console.log(
  `peak RSS by quarter of the documents: ${[0, 1, 2, 3].map((q) => `${quarter(q).toFixed(0)} MB`).join(', ')} (flat: the last quarter no higher than the second + 10%)`,
);
start.kill('SIGTERM');
await new Promise((done) => start.once('exit', done));
rmSync(dataDir, { recursive: true, force: true });
