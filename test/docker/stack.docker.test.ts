import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_ARTICLES } from '@sluice/cli/samples';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSeeds, SEEDS_DIR, seedsAvailable } from '../support/seeds';

// The whole stack built from the Dockerfiles and run by docker-compose: seeds in through the API
// container, found by search, and the extractor container SIGKILLed mid-flight without a loss.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = ['fetcher', 'extractor', 'indexer', 'api'] as const;
const PROJECT = 'sluice-e2e';
const TAG = 'e2e';
const IN_FLIGHT = 300;

// Everything here talks to the containers only: no workspace code runs in this process, so the
// images are tested as they were built.

interface DocumentView {
  id: string;
  status: string;
  failedReason: string | null;
  document: { title?: string; text?: string } | null;
}

/** docker-compose.yml's API credentials (its defaults unless the environment sets them): writes need them. */
const COMPOSE_AUTHORIZATION = `Basic ${Buffer.from(
  `${process.env.DASHBOARD_USER ?? 'sluice'}:${process.env.DASHBOARD_PASSWORD ?? 'change-this-password'}`,
).toString('base64')}`;

async function postDocument(apiUrl: string, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${apiUrl}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: COMPOSE_AUTHORIZATION },
    body: JSON.stringify(body),
  });
  if (response.status !== 202)
    throw new Error(`POST /documents: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

async function getDocument(apiUrl: string, id: string): Promise<DocumentView | null> {
  const response = await fetch(`${apiUrl}/documents/${id}`);
  if (response.status === 404) return null;
  return (await response.json()) as DocumentView;
}

/** Polls the API until every document is indexed or failed. */
async function waitForDocuments(apiUrl: string, ids: string[], timeoutMs: number): Promise<DocumentView[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, DocumentView>();
  while (done.size < ids.length && Date.now() < deadline) {
    for (const id of ids.filter((id) => !done.has(id))) {
      const view = await getDocument(apiUrl, id);
      if (view && (view.status === 'indexed' || view.status === 'failed')) done.set(id, view);
    }
    if (done.size < ids.length) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (done.size < ids.length)
    throw new Error(`${ids.length - done.size} documents neither indexed nor failed in ${timeoutMs} ms`);
  return ids.map((id) => done.get(id) as DocumentView);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const dockerAnswers = () =>
  spawnSync('docker', ['version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

interface Engine {
  env: Record<string, string>;
  /** True when this file brought the engine up, so it also stops it. */
  started: boolean;
}

/** An engine and the base images (infra/docker/local-images.sh), or why none can be had. */
async function prepareEngine(): Promise<Engine | string> {
  if (!seedsAvailable()) return `${SEEDS_DIR} is absent on this machine`;
  if (spawnSync('sh', ['-c', 'command -v docker']).status !== 0) return 'no docker client on PATH';
  const answeredBefore = dockerAnswers();
  const up = spawnSync('bash', ['infra/docker/local-images.sh', 'up'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  });
  if (up.status !== 0) return `infra/docker/local-images.sh up failed (exit ${up.status ?? up.signal})`;
  const env = Object.fromEntries(
    up.stdout
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { env, started: !answeredBefore };
}

const engine = await prepareEngine();
if (typeof engine === 'string') {
  if (process.env.SLUICE_DOCKER_REQUIRED === '1') throw new Error(`Docker job: ${engine}`);
  console.warn(`docker stack test skipped: ${engine}`);
}

describe.skipIf(typeof engine === 'string')('the stack in containers', () => {
  const { env: engineEnv, started } = engine as Engine;
  const hostNetwork = engineEnv.SLUICE_DOCKER_HOST_NETWORK === '1';
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...engineEnv,
    SLUICE_TAG: TAG,
  };
  // compose.hostnet.yml names the API api-host (see there).
  const apiService = hostNetwork ? 'api-host' : 'api';
  const workers = ['fetcher', 'extractor', 'indexer'];
  const files = [
    'docker-compose.yml',
    ...(hostNetwork ? ['compose.hostnet.yml'] : []),
    'test/docker/compose.e2e.yml',
  ];
  let apiUrl = '';
  let failed = false;

  const run = (command: string, args: string[], timeoutMs = 5 * 60_000): SpawnSyncReturns<string> =>
    spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const must = (command: string, args: string[], timeoutMs?: number): string => {
    const result = run(command, args, timeoutMs);
    if (result.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')}: exit ${result.status ?? result.signal}\n${result.stderr.slice(-4000)}`,
      );
    }
    return result.stdout;
  };
  const compose = (...args: string[]) =>
    must('docker-compose', ['-p', PROJECT, ...files.flatMap((file) => ['-f', file]), ...args]);
  const containerOf = (service: string) => compose('ps', '-q', service).trim();
  const inspect = (id: string, format: string) => must('docker', ['inspect', '--format', format, id]).trim();
  // docker exec rather than docker-compose exec: it answers in a fraction of the time.
  const sql = (query: string) =>
    must('docker', [
      'exec',
      containerOf('postgres'),
      'psql',
      '-U',
      'sluice',
      '-d',
      'sluice',
      '-tAc',
      query,
    ]).trim();

  const waitUntil = async (what: string, predicate: () => Promise<boolean> | boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await predicate()) return;
      await new Promise((done) => setTimeout(done, 500));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  };

  beforeAll(async () => {
    if (hostNetwork) {
      const [redis, postgres, api] = [await freePort(), await freePort(), await freePort()];
      Object.assign(env, {
        SLUICE_REDIS_PORT: `${redis}`,
        SLUICE_POSTGRES_PORT: `${postgres}`,
        SLUICE_API_PORT: `${api}`,
      });
      apiUrl = `http://127.0.0.1:${api}`;
    } else {
      env.API_PORT = `${await freePort()}`;
      apiUrl = `http://127.0.0.1:${env.API_PORT}`;
    }
    run('docker-compose', [
      '-p',
      PROJECT,
      ...files.flatMap((file) => ['-f', file]),
      'down',
      '-v',
      '--remove-orphans',
    ]);

    for (const service of SERVICES) {
      const startedAt = Date.now();
      must(
        'docker',
        [
          'build',
          '--force-rm',
          '-q',
          ...(hostNetwork ? ['--network', 'host'] : []),
          '-f',
          'infra/docker/service.Dockerfile',
          '--build-arg',
          `SERVICE=${service}`,
          '-t',
          `sluice/${service}:${TAG}`,
          '.',
        ],
        20 * 60_000,
      );
      const size = Number(inspect(`sluice/${service}:${TAG}`, '{{.Size}}'));
      console.log(
        `image sluice/${service}: ${(size / 1e6).toFixed(1)} MB, built in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
      );
    }

    compose('up', '-d', '--no-build');
    const services = ['redis', 'postgres', ...workers, apiService];
    const health = (service: string) =>
      run('docker', [
        'inspect',
        '--format',
        '{{.State.Status}}/{{.State.Health.Status}}',
        containerOf(service),
      ]).stdout.trim();
    try {
      await waitUntil(
        'every container healthy',
        () => services.every((service) => health(service).endsWith('/healthy')),
        180_000,
      );
    } catch (error) {
      // Say which container never became healthy, and why, before giving up.
      for (const service of services.filter((name) => !health(name).endsWith('/healthy'))) {
        const logs = run('docker', ['logs', '--tail', '30', containerOf(service)]);
        console.error(`${service} is ${health(service)}; its last log lines:\n${logs.stdout}${logs.stderr}`);
      }
      throw error;
    }
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      failed = true;
    }),
  );

  afterAll(() => {
    if (failed)
      console.log(
        run('docker-compose', [
          '-p',
          PROJECT,
          ...files.flatMap((file) => ['-f', file]),
          'logs',
          '--tail',
          '40',
        ]).stdout,
      );
    run('docker-compose', [
      '-p',
      PROJECT,
      ...files.flatMap((file) => ['-f', file]),
      'down',
      '-v',
      '--remove-orphans',
      '-t',
      '30',
    ]);
    if (started) spawnSync('bash', ['infra/docker/local-images.sh', 'down'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('runs every service as a non-root user, healthy by its HEALTHCHECK', () => {
    for (const service of [...workers, apiService]) {
      const id = containerOf(service);
      expect(inspect(id, '{{.Config.User}}'), service).toBe('node');
      expect(inspect(id, '{{.State.Health.Status}}'), service).toBe('healthy');
    }
  });

  it('ingests the seeds through the API container and finds them by search', async () => {
    const seeds = loadSeeds();
    expect(seeds).toHaveLength(5);
    const ids = await Promise.all(
      seeds.map((seed) =>
        postDocument(apiUrl, { text: seed.text, url: seed.url ?? undefined, source: seed.source }),
      ),
    );
    const views = await waitForDocuments(apiUrl, ids, 120_000);
    for (const view of views) expect(view.status, view.failedReason ?? '').toBe('indexed');
    for (const [index, seed] of seeds.entries()) expect(views[index]?.document?.title).toBe(seed.title);

    const search = (await (await fetch(`${apiUrl}/search?q=Mottaki&limit=10`)).json()) as {
      total: number;
      hits: { id: string }[];
    };
    const mentioning = views.filter((view) => String(view.document?.text).includes('Mottaki'));
    expect(mentioning).toHaveLength(4);
    expect(new Set(search.hits.map((hit) => hit.id))).toEqual(new Set(mentioning.map((view) => view.id)));
  });

  it(`indexes all ${IN_FLIGHT} documents once after the extractor container is killed mid-flight`, async () => {
    const before = Number(sql('SELECT count(*) FROM documents'));
    const indexed = () => Number(sql('SELECT count(*) FROM documents')) - before;
    // Documents keep arriving through the API while the extractor is killed: some are indexed,
    // some are in the extractor's hands, the rest wait in its queue.
    const ids: string[] = [];
    const posting = (async () => {
      for (let n = 0; n < IN_FLIGHT; n++) {
        const article = SAMPLE_ARTICLES[n % SAMPLE_ARTICLES.length]!;
        const text = [
          `${article.headline} (dispatch ${n})`,
          '',
          ...article.paragraphs.map((p) => `${p} Dispatch ${n}.`),
        ].join('\n\n');
        ids.push(await postDocument(apiUrl, { text, source: article.source }));
      }
    })();
    await waitUntil('the first documents indexed', () => indexed() >= 10, 120_000);
    const extractor = containerOf('extractor');
    must('docker', ['kill', extractor]);
    expect(inspect(extractor, '{{.State.Running}}')).toBe('false');
    console.log(`extractor killed with ${indexed()} of ${IN_FLIGHT} documents indexed, ${ids.length} posted`);
    await posting;
    expect(new Set(ids).size).toBe(IN_FLIGHT);
    expect(indexed()).toBeLessThan(IN_FLIGHT);

    compose('start', 'extractor');
    const views: DocumentView[] = await waitForDocuments(apiUrl, ids, 240_000);
    const notIndexed = views.filter((view) => view.status !== 'indexed');
    expect(notIndexed.map((view) => `${view.id}: ${view.status} ${view.failedReason}`)).toEqual([]);

    // Once each: one row per document, and no other row.
    const [rows, distinct] = sql('SELECT count(*), count(DISTINCT id) FROM documents').split('|').map(Number);
    expect(rows).toBe(before + IN_FLIGHT);
    expect(distinct).toBe(rows);
    const stored = new Set(sql('SELECT id FROM documents').split('\n'));
    for (const id of ids) expect(stored.has(id), id).toBe(true);
    expect((await getDocument(apiUrl, ids[0]!))?.status).toBe('indexed');
  });
});
