import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPIRE_DOCUMENTS_SCHEDULER, enqueue } from '@sluice/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getDocument,
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const DAY_MS = 24 * 3_600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

const TURBINES =
  'Engineers in the northern port of Valmora finished testing a tidal turbine array on Tuesday, the regional energy agency said. ' +
  'The array of twelve turbines produced enough electricity during the trial to supply about nine thousand homes.';
const MAYOR =
  'The Valmora town council elected Mara Velt as mayor on Tuesday after a tied first round, ending a month without a mayor. ' +
  'Councillors from both blocs said they would work with the new mayor on the harbour budget.';

/** The indexer reads the retention settings from its process's environment, as in production. */
const ENVIRONMENT = ['SLUICE_RETENTION_DAYS', 'SLUICE_RETENTION_ARCHIVE_DIR'] as const;

async function waitForJob(stack: Stack, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await stack.runtime.queues.index.getJob(id);
    const state = job ? await job.getState() : 'missing';
    // Read again once completed: the job read before its state may predate its return value.
    if (state === 'completed') return (await stack.runtime.queues.index.getJob(id))!;
    if (state === 'failed') throw new Error(`retention job failed: ${job?.failedReason}`);
    if (Date.now() > deadline) throw new Error(`retention job still ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('retention: old documents leave the index with their stories mended', () => {
  let servers: Servers;
  let stack: Stack;
  let archiveDir: string;
  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'sluice-archive-'));
    process.env.SLUICE_RETENTION_DAYS = '30';
    process.env.SLUICE_RETENTION_ARCHIVE_DIR = archiveDir;
    servers = await startServers();
    stack = await startStack(servers);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
    for (const name of ENVIRONMENT) delete process.env[name];
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('schedules the pass when SLUICE_RETENTION_DAYS is set, and runs it once at start', async () => {
    const schedulers = await stack.runtime.queues.index.getJobSchedulers(0, -1);
    const retention = schedulers.find((scheduler) => scheduler.key === EXPIRE_DOCUMENTS_SCHEDULER);
    expect(retention?.every).toBe(3_600_000);
    expect(retention?.template?.data).toMatchObject({ olderThanDays: 30 });
    // An `every` scheduler's first job runs at once: let it finish on the empty index, so it
    // cannot take the documents below before the test's own pass does.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const completed = await stack.runtime.queues.index.getJobs(['completed'], 0, 100);
      const first = completed.find((job) => job.name === 'expire-documents');
      if (first) {
        expect(first.returnvalue).toMatchObject({ documents: 0 });
        break;
      }
      if (Date.now() > deadline) throw new Error('the scheduled retention pass did not run at start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('removes and archives documents past the period; stories, duplicates and search follow', async () => {
    const api = stack.api.url;
    const oldTurbines = await postDocument(api, {
      url: 'https://gazette.example/energy/turbines',
      source: 'The Test Gazette',
      text: TURBINES,
      publishedAt: daysAgo(90),
    });
    const oldMayor = await postDocument(api, {
      url: 'https://gazette.example/town/mayor',
      source: 'The Test Gazette',
      text: MAYOR,
      publishedAt: daysAgo(60),
    });
    await waitForDocuments(api, [oldTurbines, oldMayor]);
    // The same text reprinted today elsewhere: an exact duplicate of the old original.
    const reprint = await postDocument(api, {
      url: 'https://coast-radio.example/turbines-reprint',
      source: 'Valmora Coast Radio',
      text: TURBINES,
      publishedAt: daysAgo(1),
    });
    const [original, mayor, copy] = await waitForDocuments(api, [oldTurbines, oldMayor, reprint]);
    expect(copy!.document!.duplicateOf).toBe(oldTurbines);
    const turbineStory = original!.document!.storyId as string;
    const mayorStory = mayor!.document!.storyId as string;
    expect(copy!.document!.storyId).toBe(turbineStory);

    const job = await enqueue(stack.runtime.queues, 'expire-documents', {
      olderThanDays: 30,
      batchSize: 500,
    });
    const done = await waitForJob(stack, job.id!);
    expect(done.returnvalue).toMatchObject({ documents: 2, promoted: 1, storiesRemoved: 1 });

    // Gone from the index; the reprint is the original now and keeps the story alive.
    const removed = await getDocument(api, oldTurbines);
    expect(removed?.status).toBe('removed');
    expect(removed?.document).toBeNull();
    const survivor = await getDocument(api, reprint);
    expect(survivor?.status).toBe('indexed');
    expect(survivor?.document?.duplicateOf).toBeNull();
    const story = await fetch(`${api}/stories/${turbineStory}`);
    expect(story.status).toBe(200);
    const body = (await story.json()) as {
      documentCount: number;
      timeline: { id: string }[];
      sources: string[];
    };
    expect(body.documentCount).toBe(1);
    expect(body.timeline.map((member) => member.id)).toEqual([reprint]);
    expect(body.sources).toEqual(['Valmora Coast Radio']);

    // A story with nothing left is gone for good: 410 with when, not a bare 404.
    const expired = await fetch(`${api}/stories/${mayorStory}`);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { expiredAt: string }).expiredAt).toMatch(/^\d{4}-/);
    const page = await fetch(`${api}/web/stories/${mayorStory}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('retention period');

    const search = (await (await fetch(`${api}/search?q=${encodeURIComponent('mayor')}`)).json()) as {
      total: number;
    };
    expect(search.total).toBe(0);
    const turbines = (await (await fetch(`${api}/search?q=turbine`)).json()) as { hits: { id: string }[] };
    expect(turbines.hits.map((hit) => hit.id)).toEqual([reprint]);

    // Each removed document was archived first, as an export line.
    const files = readdirSync(archiveDir);
    expect(files).toHaveLength(1);
    const archived = readFileSync(join(archiveDir, files[0]!), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; text: string });
    expect(archived.map((row) => row.id).sort()).toEqual([oldMayor, oldTurbines].sort());
    expect(archived.find((row) => row.id === oldMayor)?.text).toContain('Mara Velt');
  });
});
