import { existsSync } from 'node:fs';
import { type DemoArticle, type DemoFeedServer, startDemoFeedServer } from '@sluice/feeds';
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

/** A loopback site: one plain article and one whose title and text carry markup and script. */
const HOSTILE_TITLE = 'Harbour <script>window.pwned=1</script><b>bold</b> plan';
const siteArticles: DemoArticle[] = [
  {
    slug: 'harbour-dredging',
    headline: 'Valmora harbour dredging approved',
    publishedAt: '2026-11-30T09:00:00Z',
    renderHtml: (url) =>
      `<html><head><title>Valmora harbour dredging approved</title><link rel="canonical" href="${url}"></head><body><article><h1>Valmora harbour dredging approved</h1><p>${'The Valmora council approved dredging of the old harbour on Monday, after two years of studies by the port authority. '.repeat(4)}</p></article></body></html>`,
  },
  {
    slug: 'hostile',
    headline: HOSTILE_TITLE,
    publishedAt: '2026-11-30T10:00:00Z',
    renderHtml: (url) =>
      `<html><head><title>${HOSTILE_TITLE.replace(/</g, '&lt;')}</title><link rel="canonical" href="${url}"></head><body><article><h1>${HOSTILE_TITLE.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</h1><p>${'Valmora harbour engineers wrote &lt;img src=x onerror="window.pwned=2"&gt; into their report on the breakwater and the tides. '.repeat(4)}</p></article></body></html>`,
  },
];

describe.skipIf(!canRun)('the web pages in a browser', () => {
  let servers: Servers;
  let stack: Stack;
  let browser: TestBrowser;
  let seeds: Seed[];
  const ids = new Map<string, string>();
  let url: string;

  let site: DemoFeedServer;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    site = await startDemoFeedServer(siteArticles);
    // The guarded fetcher (and the API's feed discovery, which reads process.env) may reach it.
    const reach = { FETCH_ALLOW_PRIVATE: site.allowHost, FETCH_ALLOWED_PORTS: String(site.port) };
    Object.assign(process.env, reach);
    servers = await startServers();
    stack = await startStack(servers, { DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD, ...reach });
    url = stack.api.url;
    browser = await launchBrowser();
    seeds = loadSeeds();
    for (const seed of seeds) {
      ids.set(
        seed.file.slice(0, 3),
        await postDocument(
          url,
          { text: seed.text, url: seed.url ?? undefined, source: seed.source },
          { user: USER, password: PASSWORD },
        ),
      );
    }
    await waitForDocuments(url, [...ids.values()], 90_000);
    // Posted after the originals so it is the copy, not the original.
    const seed001 = seeds.find((seed) => seed.file.startsWith('001')) as Seed;
    ids.set(
      'copy',
      await postDocument(
        url,
        {
          text: nearCopyOf(seed001),
          url: 'https://wire.example/iran-talks',
          source: 'Wire Copy',
        },
        { user: USER, password: PASSWORD },
      ),
    );
    await waitForDocuments(url, [ids.get('copy') as string], 60_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await servers?.stop();
    await site?.close();
    process.env = savedEnv;
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

      // The date facet: periods with their counts, each a from/to filter that the results obey.
      const dates = page.getByRole('region', { name: 'Dates' });
      const periods = dates.getByRole('link');
      expect(await periods.count()).toBeGreaterThan(0);
      const counted = Number((await dates.locator('.count').first().textContent())?.replace(/\D/g, ''));
      expect(counted).toBeGreaterThan(0);
      await periods.first().click();
      await page.waitForURL(/from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/);
      const filtered = new URL(page.url());
      const [from, to] = [
        Date.parse(filtered.searchParams.get('from')!),
        Date.parse(filtered.searchParams.get('to')!),
      ];
      const times = await page
        .locator('.hit time')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime')));
      expect(times.length).toBeGreaterThan(0);
      expect(times.length).toBeLessThanOrEqual(counted);
      for (const time of times) {
        expect(Date.parse(time as string)).toBeGreaterThanOrEqual(from);
        expect(Date.parse(time as string)).toBeLessThan(to);
      }
      expect(await page.getByRole('list', { name: 'Active filters' }).textContent()).toContain('From ');
      // The facet now divides the chosen period (more finely where it can), never beyond it.
      for (const href of await periods.evaluateAll((links) =>
        links.map((link) => link.getAttribute('href')),
      )) {
        const params = new URL(href as string, url).searchParams;
        expect(Date.parse(params.get('from') as string)).toBeGreaterThanOrEqual(from);
        expect(Date.parse(params.get('to') as string)).toBeLessThanOrEqual(to);
      }
      await expectAccessible(page);
      await page.goBack();

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
      // Not signed in: the dashboard sends a person to the pages' sign-in, not to a password
      // prompt, and the one sign-in opens the job.
      let prompted = false;
      page.on('response', (response) => {
        if (response.headers()['www-authenticate']) prompted = true;
      });
      await indexJob.click();
      await page.waitForURL(/\/web\/sign-in\?next=/);
      await page.getByLabel('User').fill(USER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/queues/queue/index/${ids.get('000')}$`));
      expect(prompted).toBe(false);
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
      // The timeline by source: a lane per source, every member (the copy too) a dot in its lane.
      const lanes = page.locator('svg.lanes-chart');
      const laneNames = await lanes.locator('.lane-label').allTextContents();
      const memberCount = (await timeline.count()) + (await timeline.locator('.folded li').count());
      for (const prefix of ['000', '001']) {
        const seed = seeds.find((candidate) => candidate.file.startsWith(prefix)) as Seed;
        expect(laneNames.some((name) => name.startsWith(`${seed.source} · `))).toBe(true);
      }
      expect(laneNames.some((name) => name.startsWith('Wire Copy · 1'))).toBe(true);
      expect(await lanes.locator('circle.dot').count()).toBe(memberCount);
      expect(await lanes.locator('.lane', { hasText: 'Wire Copy' }).locator('circle.duplicate').count()).toBe(
        1,
      );
      expect(await lanes.getAttribute('aria-label')).toMatch(/^Timeline by source, \d+ sources from /);
      expect(await lanes.locator('.tick').count()).toBeGreaterThan(1);
      await expectAccessible(page);
      await saveScreenshot(page, 'story');
      const storyUrl = page.url();

      await page.getByRole('link', { name: 'Stories', exact: true }).click();
      await page.waitForURL(/\/web\/stories$/);
      // The seeds' two stories (000-002 and 003-004), at least.
      expect(await page.locator('.stories > li').count()).toBeGreaterThanOrEqual(2);
      await expectAccessible(page);
      await saveScreenshot(page, 'stories');

      // At 375 px the lanes fit the width, and the page does not scroll sideways.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(storyUrl);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      const box = await page.locator('svg.lanes-chart').boundingBox();
      expect(box?.width).toBeLessThanOrEqual(375);
      await expectAccessible(page);
      await saveScreenshot(page, 'story-375');
    });
  });

  it('refuses a write without signing in; once signed in, merges two stories and detaches one again', async () => {
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
    // A page's form is answered with a page, not the API's 401 and its password prompt.
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('content-type')).toContain('text/html');
    expect(anonymous.headers.get('www-authenticate')).toBeNull();
    expect(await anonymous.text()).toContain('<h1>Sign in first</h1>');
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
      // The session cookie without its CSRF token proves nothing: refused with a readable page.
      expect(forged.status).toBe(403);
      expect(forged.headers.get('www-authenticate')).toBeNull();
      expect(await forged.text()).toContain('<h1>Form expired</h1>');
      expect(await storyOf(bbc)).toBe(from);
      // The same in the browser: a form whose token is out of date gets the page, the story stays.
      await page.locator('form[action*="csrf="]').evaluateAll((forms) => {
        for (const form of forms)
          form.setAttribute(
            'action',
            (form.getAttribute('action') as string).replace(/csrf=[^&]+/, 'csrf=stale'),
          );
      });
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByLabel('Merge into this story:').selectOption(from);
      await page.getByRole('button', { name: 'Merge' }).click();
      await page.waitForURL(/\/merge\?csrf=stale$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Form expired');
      await expectAccessible(page);
      await saveScreenshot(page, 'form-expired');
      expect(await storyOf(bbc)).toBe(from);
      await page.goto(`${url}/web/stories/${into}`);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByLabel('Merge into this story:').selectOption(from);
      await page.getByRole('button', { name: 'Merge' }).click();
      await page.waitForURL(/merged=1/);
      expect(await page.getByRole('status').textContent()).toContain('Merged');
      expect(await page.locator('.timeline > li > a').allTextContents()).toContain(
        seeds.find((seed) => seed.file.startsWith('003'))?.title,
      );
      await expectAccessible(page);
      expect(await storyOf(bbc)).toBe(into);

      // And the editor changes their mind: the BBC report leaves again, for a story of its own.
      const bbcTitle = seeds.find((seed) => seed.file.startsWith('003'))?.title as string;
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: `Detach ${bbcTitle} from this story` }).click();
      await page.waitForURL(/detached=/);
      expect(await page.getByRole('status').textContent()).toContain('Detached into');
      expect(await page.locator('.timeline > li > a').allTextContents()).not.toContain(bbcTitle);
      await page.getByRole('link', { name: 'a story of its own' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(bbcTitle);
    });
    const detached = await storyOf(bbc);
    expect(detached).not.toBe(into);
    // A script's detach with wrong credentials gets the API's 401; with its basic credentials it is done.
    const detach = (authorization: string) =>
      fetch(`${url}/web/stories/${detached}/detach`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: `document=${bbc}`,
        redirect: 'manual',
      });
    const refused = await detach(`Basic ${Buffer.from(`${USER}:wrong`).toString('base64')}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="Sluice"');
    const other = ids.get('004') as string;
    const otherStory = await storyOf(other);
    const byScript = await fetch(`${url}/web/stories/${otherStory}/detach`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      },
      body: `document=${other}`,
      redirect: 'manual',
    });
    // 004 came in with 003's story and stayed in the merged one: the script's detach moves it out.
    expect(byScript.status).toBe(303);
    expect(await storyOf(other)).not.toBe(otherStory);
  });

  it("adds a loopback site's feed, watches its items arrive, and shows markup as text", async () => {
    await withPage(browser, 'feeds', async (page) => {
      await page.goto(`${url}/web/sign-in?next=/web/feeds`);
      await page.getByLabel('User').fill(USER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/web\/feeds$/);
      await page.getByLabel('Feed or site address').fill(site.feedUrl);
      await page.getByRole('button', { name: 'Add feed' }).click();
      await page.waitForURL(/notice=/);
      expect(await page.getByRole('status').textContent()).toContain(`Subscribed to ${site.feedUrl}`);
      const feedRow = page.locator('tr.feed', { hasText: site.feedUrl });
      await expect
        .poll(
          async () => {
            await page.reload();
            return Number(await feedRow.locator('.items-seen').getAttribute('data-items'));
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(2);
      expect(await feedRow.locator('td').nth(1).textContent()).toContain('active');
      await expectAccessible(page);
      await saveScreenshot(page, 'feeds');

      // Both items reach the index; the hostile one is shown as text, and nothing ran.
      await expect
        .poll(
          async () => {
            await page.goto(`${url}/?q=Valmora`);
            return page.locator('.hit').count();
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(2);
      const hostile = page.locator('.hit h3 a', { hasText: 'window.pwned' });
      expect(await hostile.textContent()).toBe(HOSTILE_TITLE);
      await hostile.click();
      await page.waitForURL(/\/web\/documents\//);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(HOSTILE_TITLE);
      expect(await page.locator('.text').textContent()).toContain('<img src=x onerror="window.pwned=2">');
      expect(await page.locator('main script, main b, main img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    });
  });

  it('is usable at 375 px wide and by keyboard alone', async () => {
    await withPage(
      browser,
      'narrow-keyboard',
      async (page) => {
        for (const path of ['/?q=Iran', `/web/documents/${ids.get('001')}`, '/web/stories', '/web/feeds']) {
          await page.goto(`${url}${path}`);
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
          expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(375);
          await expectAccessible(page);
        }
        await saveScreenshot(page, 'feeds-375');
        await page.goto(`${url}/?q=Iran`);
        await saveScreenshot(page, 'search-375');
        // Without a query the search box has focus on arrival: type one and submit with Enter.
        await page.goto(`${url}/`);
        await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('q');
        await page.keyboard.type('Mottaki');
        await page.keyboard.press('Enter');
        await page.waitForURL(/q=Mottaki/);
        // Skip link first, then Tab through to the first result and open it with Enter.
        await page.keyboard.press('Tab');
        expect(await page.evaluate<string | null>('document.activeElement?.textContent')).toBe(
          'Skip to content',
        );
        await page.keyboard.press('Enter');
        let reached = false;
        for (let presses = 0; presses < 40 && !reached; presses++) {
          await page.keyboard.press('Tab');
          reached = await page.evaluate<boolean>("Boolean(document.activeElement?.closest('.hit h3'))");
        }
        expect(reached).toBe(true);
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/web\/documents\//);
      },
      { width: 375, height: 800 },
    );
  });

  it('shows a failed document with its reason and a retry button, and the pipeline page counts the hour', async () => {
    // An address the fetcher refuses: the document's own fault, failed at once with a reason.
    const failedId = await postDocument(
      url,
      { url: 'http://10.255.255.1/blocked-story' },
      { user: USER, password: PASSWORD },
    );
    const [failed] = await waitForDocuments(url, [failedId], 60_000);
    expect(failed?.status).toBe('failed');
    const firstRun = (await stack.runtime.queues.fetch.getJob(failedId))?.processedOn ?? 0;

    await withPage(browser, 'failed-document-and-pipeline', async (page) => {
      await page.goto(`${url}/web/documents/${failedId}`);
      expect(await page.locator('.state').textContent()).toBe('failed');
      expect(await page.locator('.status .error').textContent()).toMatch(/Failed: .+/);
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Sign in' }).first().click();
      await page.getByLabel('User').fill(USER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/web/documents/${failedId}$`));
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(new RegExp(`/web/documents/${failedId}$`));
      await expect
        .poll(async () => (await stack.runtime.queues.fetch.getJob(failedId))?.processedOn ?? 0, {
          timeout: 30_000,
        })
        .toBeGreaterThan(firstRun);
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Pipeline' }).click();
      await page.waitForURL(/\/web\/pipeline$/);
      const indexRow = page.locator('tr.stage[data-stage="index"]');
      // Every document indexed in this file went through the index stage within the hour.
      expect(
        Number((await indexRow.locator('.done').textContent())?.replace(/\D/g, '')),
      ).toBeGreaterThanOrEqual(ids.size);
      const fetchFailures = async () => {
        await page.reload();
        return page.locator('tr.stage[data-stage="fetch"] .failed-hour').textContent();
      };
      await expect.poll(fetchFailures, { timeout: 15_000 }).not.toBe('0');
      await expect.poll(() => page.getByRole('heading', { name: 'Latest fetch failures' }).count()).toBe(1);
      await expectAccessible(page);
      await saveScreenshot(page, 'pipeline');
      // Signed in on the pages, the dashboard opens with the same session (its script's own
      // reads included), and a write sent from its page as its script sends them is taken.
      const queuesRead = page.waitForResponse((response) => response.url().includes('/queues/api/queues'));
      await page.getByRole('link', { name: 'fetch', exact: true }).click();
      await page.waitForURL(/\/queues\/queue\/fetch/);
      expect((await queuesRead).status()).toBe(200);
      const retried = page.waitForResponse((response) => response.request().method() === 'PUT');
      await page.evaluate(async () => {
        await fetch('/queues/api/queues/fetch/retry/failed', { method: 'PUT' });
      });
      expect((await retried).status()).toBe(200);
    });
  });
});
