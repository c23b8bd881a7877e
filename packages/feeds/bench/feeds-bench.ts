/**
 * bench:feeds — feeds on a local loopback server, polled through the real `poll-feed` handler by
 * two fetcher copies (two BullMQ workers with their own runtimes and connections) on job
 * schedulers. Prints polls per minute, CPU per poll, the 200/304 mix, and checks from the
 * server's access log that no host got more requests than its token bucket allows.
 *
 *   npm run bench:feeds                      # 1,000 feeds, 20 hosts, 60 s
 *   BENCH_FEEDS=200 BENCH_SECONDS=20 npm run bench:feeds
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  FeedStore,
  feedMigrations,
  feedSettingsFromEnv,
  parseFeedText,
  parseFeedTextOffLoop,
  reconcileSchedulesAsLeader,
} from '@sluice/feeds';
import { createLogger } from '@sluice/logger';
import { type Database, openDatabase, runMigrations } from '@sluice/store';
import { startPostgres, startRedis, type TestServer } from '@sluice/testkit';
import {
  createRuntime,
  defineWorker,
  type Runtime,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { DelayedError } from 'bullmq';
// The real handlers, as the fetcher registers them (a bench may reach into the service).
import { feedDependencies, pollFeed, pollSitemap } from '../../../services/fetcher/src/feeds/index';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 1000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 20);
const RATE = Number(process.env.BENCH_HOST_RATE ?? 4);
const BURST = Number(process.env.BENCH_HOST_BURST ?? 4);
const feedsPerHost = Math.ceil(FEEDS / HOSTS);
const TRANSIT_TOLERANCE_MS = 200;

const silent = createLogger({ name: 'bench', level: 'silent' });

/** The two worst shapes of the largest feed accepted (4 MiB): many small items, one huge item. */
function worstFeeds(): { name: string; xml: string }[] {
  const head =
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>';
  const limit = 4 * 1024 * 1024 - 300;
  let many = head;
  for (let i = 0; many.length < limit; i++) {
    many += `<item><title>Story ${i}</title><link>https://big.example/${i}</link><guid>big-${i}</guid><description>${'Words and more words. '.repeat(8)}</description></item>`;
  }
  const paragraph = '&lt;p&gt;Words &lt;b&gt;and&lt;/b&gt; more words &amp;amp; entities.&lt;/p&gt;\n';
  const body = paragraph.repeat(Math.floor((limit - head.length - 200) / paragraph.length));
  return [
    { name: `${(many.length / 1024 / 1024).toFixed(1)} MiB, many items`, xml: `${many}</channel></rss>` },
    {
      name: `${(limit / 1024 / 1024).toFixed(1)} MiB, one escaped item`,
      xml: `${head}<item><title>One</title><link>https://big.example/one</link><description>${body}</description></item></channel></rss>`,
    },
  ];
}

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function longestTimerGap(work: () => Promise<unknown> | unknown): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  last = performance.now();
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(timer);
  return longest;
}

/** Event-loop hold of the largest feeds: parsed inline vs the way polls parse them (thread). */
async function parseHold(maxItems: number): Promise<string[]> {
  const lines: string[] = [];
  const options = { feedUrl: 'https://big.example/feed', maxItems };
  await parseFeedTextOffLoop(worstFeeds()[0]!.xml, options); // the parse thread started
  for (const { name, xml } of worstFeeds()) {
    const inlineGaps: number[] = [];
    for (let run = 0; run < 3; run++)
      inlineGaps.push(await longestTimerGap(() => parseFeedText(xml, options)));
    const inline = Math.min(...inlineGaps);
    const gaps: number[] = [];
    for (let run = 0; run < 3; run++)
      gaps.push(await longestTimerGap(() => parseFeedTextOffLoop(xml, options)));
    lines.push(
      `largest feed (${name}): inline parse holds the loop ${inline.toFixed(0)} ms; as polled (parse thread) longest timer gap ${Math.max(...gaps).toFixed(0)} ms`,
    );
  }
  return lines;
}

async function main() {
  for (const line of await parseHold(feedSettingsFromEnv({}).maxItemsPerFeed)) console.log(line);
  console.log(
    'feed and sitemap polls take the per-host concurrency slot and token; sitemaps honour robots.txt',
  );
  const server = fork(
    fileURLToPath(new URL('./feed-hosts.ts', import.meta.url)),
    [String(HOSTS), String(feedsPerHost)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const { ports } = await new Promise<{ ports: number[] }>((resolve) =>
    server.once('message', resolve as never),
  );
  const redisServer = await startRedis();
  let pg: TestServer | null = null;
  try {
    pg = await startPostgres();
  } catch (error) {
    console.log(`no PostgreSQL server (${(error as Error).message}); using in-memory PGlite`);
  }
  const openDb = () =>
    pg ? openDatabase({ url: pg.url, maxConnections: 8 }) : openDatabase({ dataDir: 'memory://' });
  const sharedPglite = pg ? null : await openDb();
  const settings = feedSettingsFromEnv({
    FETCH_ALLOW_PRIVATE: '127.0.10.0/24',
    FETCH_ALLOWED_PORTS: ports.join(','),
    SLUICE_FEED_MIN_INTERVAL_S: String(INTERVAL_S),
    SLUICE_FEED_MAX_INTERVAL_S: String(INTERVAL_S),
    SLUICE_HOST_RATE_PER_S: String(RATE),
    SLUICE_HOST_BURST: String(BURST),
    SLUICE_HOST_CONCURRENCY: '4',
  });

  // DelayedError is not a failure to BullMQ (no event): count the jobs sent back by the host budget here.
  const countingDelays: typeof pollFeed = async (job, context) => {
    try {
      return await pollFeed(job, context);
    } catch (error) {
      if (error instanceof DelayedError) delayed++;
      throw error;
    }
  };
  const copies: { runtime: Runtime; service: StartedService; db: Database }[] = [];
  let polls = 0;
  let delayed = 0;
  let failed = 0;
  for (let copy = 0; copy < 2; copy++) {
    const db = sharedPglite ?? (await openDb());
    if (copy === 0) await runMigrations(db, 'feeds', feedMigrations);
    const runtime = await createRuntime({
      name: `bench-fetcher-${copy}`,
      redisUrl: redisServer.url,
      db,
      logger: silent,
      environment: { LOG_LEVEL: 'silent' },
    });
    feedDependencies(runtime, settings);
    if (copy === 0) {
      const store = new FeedStore(db);
      for (let feed = 0; feed < FEEDS; feed++) {
        const host = (feed % HOSTS) + 1;
        const number = Math.floor(feed / HOSTS);
        await store.addFeed({ url: `http://127.0.10.${host}:${ports[host - 1]}/feed/${number}.xml` });
      }
      await runtime.db!.query('UPDATE feeds SET interval_ms = $1', [INTERVAL_S * 1000]);
    }
    const service = await startService(runtime, {
      name: `bench-fetcher-${copy}`,
      needsDatabase: true,
      workers: [
        defineWorker({
          queue: 'feeds',
          concurrency: 16,
          handlers: { 'poll-feed': countingDelays, 'poll-sitemap': pollSitemap },
        }),
      ],
    });
    for (const worker of service.workers) {
      worker.on('completed', () => polls++);
      worker.on('failed', () => failed++);
    }
    copies.push({ runtime, service, db });
  }
  // Both copies try to reconcile at once; one wins and creates the schedulers.
  const store = new FeedStore(copies[0]!.db);
  const results = await Promise.all(
    copies.map(({ runtime }) => reconcileSchedulesAsLeader(store, runtime.queues, runtime.redis)),
  );
  console.log(
    `feeds=${FEEDS} hosts=${HOSTS} interval=${INTERVAL_S}s host budget=${RATE}/s burst ${BURST}; leaders: ${results.filter((r) => r.leader).length}`,
  );

  // Warm-up: the first round is all 200s with new items; measure the steady state after it.
  await new Promise((resolve) => setTimeout(resolve, Math.min(INTERVAL_S, 15) * 1000));
  const startPolls = polls;
  const startDelayed = delayed;
  const startCpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const elapsedMin = (performance.now() - started) / 60_000;
  const cpu = process.cpuUsage(startCpu);
  const measured = polls - startPolls;

  server.send('dump');
  const { log } = await new Promise<{ log: [string, number, number][] }>((resolve) =>
    server.on('message', (message: { log?: unknown }) => message.log && resolve(message as never)),
  );
  const statuses = { 200: 0, 304: 0 } as Record<number, number>;
  for (const [, , status] of log) statuses[status] = (statuses[status] ?? 0) + 1;
  const strict = checkRateLimits(log, RATE, BURST, 0);
  const { violations, worstRatio } = checkRateLimits(log, RATE, BURST, TRANSIT_TOLERANCE_MS);

  console.log(
    `polls in ${(elapsedMin * 60).toFixed(0)} s: ${measured} -> ${(measured / elapsedMin).toFixed(0)} polls/min`,
  );
  console.log(
    `CPU per poll (both fetcher copies, this process): ${((cpu.user + cpu.system) / 1000 / Math.max(1, measured)).toFixed(2)} ms`,
  );
  console.log(`server answers over the whole run: 200=${statuses[200]} 304=${statuses[304]}`);
  console.log(
    `jobs delayed by the host budget: ${delayed - startDelayed} (measured window); failed polls: ${failed}`,
  );
  console.log(
    `rate limit check over ${log.length} requests on ${HOSTS} hosts (arrival times, ${TRANSIT_TOLERANCE_MS} ms transit allowance): ${violations} violations; busiest window used ${(worstRatio * 100).toFixed(0)}% of burst + rate x time (${(strict.worstRatio * 100).toFixed(0)}% with no allowance)`,
  );

  for (const { service } of copies) await service.stop(5000);
  for (const { runtime } of copies) await runtime.close();
  if (sharedPglite) await sharedPglite.close();
  else for (const { db } of copies) await db.close();
  server.send('exit');
  await pg?.stop();
  await redisServer.stop();
  process.exit(violations > 0 ? 1 : 0);
}

/**
 * A token bucket of `rate`/s and `burst` allows at most burst + rate x (t_j - t_i) requests in
 * any window [t_i, t_j] of grant times. The server sees arrival times, which lag the grant by a
 * varying transit (connection set-up, event-loop turns), so windows get `toleranceMs` added.
 */
function checkRateLimits(log: [string, number, number][], rate: number, burst: number, toleranceMs: number) {
  const byHost = new Map<string, number[]>();
  for (const [host, at] of log) byHost.set(host, [...(byHost.get(host) ?? []), at]);
  let violations = 0;
  let worstRatio = 0;
  for (const times of byHost.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length && times[j]! - times[i]! <= 10_000; j++) {
        const allowed = burst + (rate * (times[j]! - times[i]! + toleranceMs)) / 1000;
        const ratio = (j - i + 1) / allowed;
        worstRatio = Math.max(worstRatio, ratio);
        if (ratio > 1) violations++;
      }
    }
  }
  return { violations, worstRatio };
}

await main();
