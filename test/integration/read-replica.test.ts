import { type Database, openDatabase } from '@sluice/store';
import { startPostgresWithReplica } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getDocument,
  postDocument,
  type Servers,
  type Stack,
  startStack,
  startTestRedis,
  waitForDocuments,
} from '../support/stack';

const pair = await startPostgresWithReplica();
const skipped = 'skipped' in pair ? pair.skipped : null;
if (skipped) console.log(`read replica test skipped: ${skipped}`);

const article = (subject: string) =>
  `Engineers in the northern port of Valmora finished testing ${subject} on Tuesday, the regional agency said. ` +
  `The trial of ${subject} ran for six months and the agency will publish its full results in the spring.`;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not seen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe.skipIf(skipped !== null)('DATABASE_READ_URL: the API reads a streaming replica', () => {
  const { primary, replica, stop } = pair as Exclude<typeof pair, { skipped: string }>;
  let servers: Servers;
  let stack: Stack;
  let reads: Database;

  const search = async (q: string) =>
    (await (await fetch(`${stack.api.url}/search?q=${encodeURIComponent(q)}`)).json()) as {
      total: number;
      hits: { id: string }[];
    };

  beforeAll(async () => {
    reads = await openDatabase({ url: replica.url, maxConnections: 2 });
    const redis = await startTestRedis();
    servers = {
      redis: redis.server,
      postgres: primary,
      redisEnvironment: redis.environment,
      stop: async () => Promise.all([redis.server.stop(), stop()]).then(() => {}),
    };
    // The workers and the API's writes use DATABASE_URL (the primary); its read routes the replica.
    stack = await startStack(servers, { DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url });
  }, 180_000);
  afterAll(async () => {
    await reads?.close();
    await stack?.stop();
    await servers?.stop();
  });

  it('serves reads from the replica, writes on the primary, and catches up after its lag', async () => {
    const { rows } = await reads.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    expect(rows[0]!.standby).toBe(true);

    const first = await postDocument(stack.api.url, {
      text: article('a tidal turbine array'),
      source: 'Gazette',
    });
    await waitForDocuments(stack.api.url, [first]);
    const lagMs = await until(
      async () => (await search('turbine')).total === 1,
      'the first document on the replica',
    );
    console.log(
      `read replica: a document indexed on the primary was searchable on the replica after ${lagMs} ms`,
    );

    // Replay paused: what the primary commits now is invisible to the replica, so every read
    // route that misses it proves it reads the replica.
    await reads.query('SELECT pg_wal_replay_pause()');
    const second = await postDocument(stack.api.url, {
      text:
        'The Orlen city orchestra cancelled its winter concert series after a floating solar farm dispute left the hall without a budget. ' +
        'Musicians said they would play free open-air concerts in the market square instead.',
      source: 'Coast Radio',
    });
    const [indexed] = await waitForDocuments(stack.api.url, [second]);
    expect(indexed!.status).toBe('indexed');
    const onPrimary = await stack.db.query('SELECT 1 FROM documents WHERE id = $1', [second]);
    expect(onPrimary.rows).toHaveLength(1);

    expect((await search('solar')).total).toBe(0);
    const stories = (await (await fetch(`${stack.api.url}/stories`)).json()) as { stories: { id: string }[] };
    expect(stories.stories.map((story) => story.id)).not.toContain(indexed!.document!.storyId);
    const exported = await (await fetch(`${stack.api.url}/export`)).text();
    expect(exported).toContain(first);
    const page = await (await fetch(`${stack.api.url}/?q=solar`)).text();
    expect(page).not.toContain('orchestra');
    // By id, a miss on the replica is asked of the primary: a client's fresh id is never a 404.
    const byId = await getDocument(stack.api.url, second);
    expect(byId?.document?.id).toBe(second);
    const story = await fetch(`${stack.api.url}/stories/${indexed!.document!.storyId}`);
    expect(story.status).toBe(200);

    // The export cannot set a horizon the replica has not replayed to: it reads the primary instead.
    const whilePaused = await (await fetch(`${stack.api.url}/export`)).text();
    expect(whilePaused).toContain(second);

    await reads.query('SELECT pg_wal_replay_resume()');
    await until(async () => (await search('solar')).total === 1, 'the second document after replay resumed');
  });
});
