import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  launchBrowser,
  saveScreenshot,
  seriousAxeViolations,
  type TestBrowser,
  withPage,
} from '../support/browser';
import { loadSeeds, SEEDS_DIR, type Seed, seedsAvailable } from '../support/seeds';
import {
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const USER = 'editor';
const PASSWORD = 'correct horse battery';
const canRun = seedsAvailable() && existsSync(CHROMIUM_PATH);
if (!canRun) console.warn(`web page tests skipped: need ${SEEDS_DIR} and ${CHROMIUM_PATH}`);

/** Seed 001 with its last paragraph reworded, from another outlet: a near-duplicate. */
const nearCopyOf = (seed: Seed) => {
  const paragraphs = seed.text.trim().split(/\n\s*\n/);
  paragraphs[paragraphs.length - 1] = 'This report was distributed to partner stations by the wire desk.';
  return paragraphs.join('\n\n');
};

describe.skipIf(!canRun)('the web pages in a browser', () => {
  let servers: Servers;
  let stack: Stack;
  let browser: TestBrowser;
  let seeds: Seed[];
  const ids = new Map<string, string>();
  let url: string;

  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers, { DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD });
    url = stack.api.url;
    browser = await launchBrowser();
    seeds = loadSeeds();
    for (const seed of seeds) {
      ids.set(
        seed.file.slice(0, 3),
        await postDocument(url, { text: seed.text, url: seed.url ?? undefined, source: seed.source }),
      );
    }
    await waitForDocuments(url, [...ids.values()], 90_000);
    // Posted after the originals so it is the copy, not the original.
    const seed001 = seeds.find((seed) => seed.file.startsWith('001')) as Seed;
    ids.set(
      'copy',
      await postDocument(url, {
        text: nearCopyOf(seed001),
        url: 'https://wire.example/iran-talks',
        source: 'Wire Copy',
      }),
    );
    await waitForDocuments(url, [ids.get('copy') as string], 60_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await servers?.stop();
  });

  const expectAccessible = async (page: Page) => {
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  };

  it('searches for a seed, shows highlighted snippets, and opens a document and its Bull Board job', async () => {
    await withPage(browser, 'search-and-document', async (page) => {
      await page.goto(`${url}/`);
      await page.getByRole('searchbox', { name: 'Search documents' }).fill('Mottaki');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\?q=Mottaki/);
      const hits = page.locator('.hit');
      // One per story: the 000-002 story and the two single-document stories that mention him.
      await expect.poll(() => hits.count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('.hit .snippet mark').first().textContent()).toBe('Mottaki');
      await expect.poll(() => page.getByText(/more documents? in this story/).count()).toBeGreaterThan(0);
      await expectAccessible(page);
      await saveScreenshot(page, 'search');

      await page.getByRole('link', { name: 'US rejects high-level talks with Iran' }).click();
      await page.waitForURL(/\/web\/documents\/[0-9a-f]{32}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'US rejects high-level talks with Iran',
      );
      expect(
        await page.locator('mark.entity-person', { hasText: 'Manouchehr Mottaki' }).count(),
      ).toBeGreaterThan(0);
      expect(await page.locator('.state').textContent()).toBe('indexed');
      await expectAccessible(page);
      await saveScreenshot(page, 'document');

      const indexJob = page.getByRole('link', { name: 'index job in Bull Board' });
      expect(await indexJob.getAttribute('href')).toBe(`/queues/queue/index/${ids.get('000')}`);
      await page.context().setHTTPCredentials({ username: USER, password: PASSWORD });
      await indexJob.click();
      await page.waitForURL(/\/queues\/queue\/index\//);
      await expect
        .poll(() => page.getByText(ids.get('000') as string).count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
    });
  });

  it("opens a seed's story: 000-002 together, the near copy folded under its original", async () => {
    await withPage(browser, 'story', async (page) => {
      await page.goto(`${url}/?q=${encodeURIComponent('"higher level talks"')}`);
      await page.locator('.hit').first().getByRole('link', { name: 'Story', exact: true }).click();
      await page.waitForURL(/\/web\/stories\/[0-9a-f]{32}$/);
      const timeline = page.locator('.timeline > li');
      const titles = await timeline.locator(':scope > a').allTextContents();
      for (const prefix of ['000', '001', '002'])
        expect(titles).toContain(seeds.find((seed) => seed.file.startsWith(prefix))?.title);
      // The copy is not a timeline entry of its own but folded under 001.
      const original = timeline.filter({ hasText: seeds.find((seed) => seed.file.startsWith('001'))?.title });
      expect(await original.locator('.folded li').count()).toBe(1);
      expect(await original.locator('.folded').getByRole('link').getAttribute('href')).toBe(
        `/web/documents/${ids.get('copy')}`,
      );
      expect(await page.locator('svg.chart').getAttribute('aria-label')).toMatch(/documents over/);
      await expectAccessible(page);
      await saveScreenshot(page, 'story');

      await page.getByRole('link', { name: 'Stories', exact: true }).click();
      await page.waitForURL(/\/web\/stories$/);
      expect(await page.locator('.stories > li').count()).toBeGreaterThanOrEqual(3);
      await expectAccessible(page);
      await saveScreenshot(page, 'stories');
    });
  });

  it('refuses a write without signing in, and merges two stories once signed in', async () => {
    const bbc = ids.get('003') as string;
    const abc = ids.get('000') as string;
    const storyOf = async (id: string) =>
      ((await (await fetch(`${url}/documents/${id}`)).json()) as { document: { storyId: string } }).document
        .storyId;
    const into = await storyOf(abc);
    const from = await storyOf(bbc);
    expect(from).not.toBe(into);

    // A form post from anywhere without a session, and one with a session cookie but no CSRF token.
    const anonymous = await fetch(`${url}/web/stories/${into}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `from=${from}`,
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(401);
    expect(await storyOf(bbc)).toBe(from);

    await withPage(browser, 'sign-in-and-merge', async (page) => {
      await page.goto(`${url}/web/stories/${into}`);
      await page.getByRole('link', { name: 'Sign in' }).first().click();
      await page.getByLabel('User').fill(USER);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('do not match');
      await page.getByLabel('User').fill(USER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/web/stories/${into}$`));

      const cookies = await page.context().cookies();
      const session = cookies.find((cookie) => cookie.name === 'sluice_session');
      expect(session?.httpOnly).toBe(true);
      const forged = await fetch(`${url}/web/stories/${into}/merge`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `sluice_session=${session?.value}`,
        },
        body: `from=${from}`,
        redirect: 'manual',
      });
      expect(forged.status).toBe(403);
      expect(await storyOf(bbc)).toBe(from);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByLabel('Merge into this story:').selectOption(from);
      await page.getByRole('button', { name: 'Merge' }).click();
      await page.waitForURL(/merged=1/);
      expect(await page.getByRole('status').textContent()).toContain('Merged');
      expect(await page.locator('.timeline > li > a').allTextContents()).toContain(
        seeds.find((seed) => seed.file.startsWith('003'))?.title,
      );
      await expectAccessible(page);
    });
    expect(await storyOf(bbc)).toBe(into);
  });
});
