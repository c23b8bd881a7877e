// Start-up time of the sluice command: the build (dist/) beside the TypeScript sources run
// through tsx (what every command cost before the build) and bare `node -e 0` (the floor),
// interleaved run by run. API commands talk to a local stand-in that answers at once, so the
// figures are the CLI's own cost plus a loopback request.
//   npm run bench:cli [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/sluice.js');

const answers: Record<string, unknown> = {
  '/search': {
    total: 1,
    approximate: false,
    hits: [
      {
        id: 'a'.repeat(32),
        title: 'Harbour bridge reopens',
        url: 'https://example.org/a',
        source: 'Example',
        publishedAt: '2026-01-01T00:00:00Z',
        storyId: null,
        snippet: 'the <mark>bridge</mark> reopens',
        score: 0.5,
      },
    ],
    nextCursor: null,
  },
  '/status': {
    documents: 1,
    queues: { fetch: { waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 } },
    feeds: { total: 0, byStatus: {}, failing: 0 },
    recentFailures: [],
  },
};
const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0] as string;
  response.writeHead(answers[path] ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify(answers[path] ?? { error: 'not found' }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// Make sure dist/ is current before timing it (the bin rebuilds a stale build on its first run).
spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });

interface Variant {
  name: string;
  args: string[];
  env?: Record<string, string>;
}
const commands: { label: string; args: string[] }[] = [
  { label: 'sluice --help', args: ['--help'] },
  { label: 'sluice search bridge', args: ['search', 'bridge'] },
  { label: 'sluice status', args: ['status'] },
];
const variants = (args: string[]): Variant[] => [
  { name: 'built (dist)', args: [BIN, ...args] },
  { name: 'from source (tsx)', args: [BIN, ...args], env: { SLUICE_CLI_FROM_SOURCE: '1' } },
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
];

const timeOnce = (variant: Variant) => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, variant.args, {
    env: { ...process.env, SLUICE_API_URL: apiUrl, ...variant.env },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !variant.args.includes('--help'))
    throw new Error(`${variant.name} failed: ${result.stderr}`);
  return ms;
};
// The stand-in API lives in this process: commands that call it are spawned asynchronously.
const timeAsync = (variant: Variant) =>
  new Promise<number>((resolve, reject) => {
    const started = process.hrtime.bigint();
    import('node:child_process').then(({ spawn }) => {
      const child = spawn(process.execPath, variant.args, {
        env: { ...process.env, SLUICE_API_URL: apiUrl, ...variant.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) =>
        code === 0 || variant.args.includes('-e')
          ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
          : reject(new Error(`${variant.name} exited ${code}: ${stderr}`)),
      );
    });
  });

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

console.log(
  `sluice CLI start-up, ${RUNS} interleaved runs each, load average ${loadavg()[0]?.toFixed(1)} on this machine`,
);
console.log(
  `${'command'.padEnd(22)} ${'variant'.padEnd(19)} ${'median ms'.padStart(10)} ${'p90 ms'.padStart(8)}`,
);
for (const command of commands) {
  const list = variants(command.args);
  const samples = list.map(() => [] as number[]);
  for (let run = 0; run < RUNS; run++) {
    for (const [index, variant] of list.entries()) {
      const ms = command.args[0] === '--help' ? timeOnce(variant) : await timeAsync(variant);
      samples[index]?.push(ms);
    }
  }
  for (const [index, variant] of list.entries()) {
    const sorted = (samples[index] as number[]).sort((a, b) => a - b);
    console.log(
      `${command.label.padEnd(22)} ${variant.name.padEnd(19)} ${quantile(sorted, 0.5).toFixed(0).padStart(10)} ${quantile(sorted, 0.9).toFixed(0).padStart(8)}`,
    );
  }
}
server.close();
