import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const ARTICLE = (headline: string, body: string[]) => `<!doctype html><html lang="en"><head>
<title>${headline} | The Test Gazette</title><meta property="og:site_name" content="The Test Gazette">
<meta property="article:published_time" content="2026-04-02T09:15:00+02:00"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>${headline}</h1>${body.map((p) => `<p>${p}</p>`).join('')}</article>
<footer>Copyright The Test Gazette. All rights reserved.</footer></body></html>`;

const PARAGRAPHS = [
  'Engineers in the northern port of Valmora finished testing a tidal turbine array on Tuesday, the regional energy agency said.',
  'The array of twelve turbines produced enough electricity during the trial to supply about nine thousand homes, according to the agency.',
  'Local fishing cooperatives had opposed the project for years, arguing that the foundations would damage spawning grounds in the estuary.',
  'The agency said monitoring divers had found no measurable change in fish numbers during the six-month trial period.',
];

const PILOT_PARAGRAPHS = [
  'Harbour pilots at the port of Valmora voted on Wednesday to strike for two days next month in a dispute over night shifts.',
  'The pilots guide every cargo ship over forty metres long through the channel, so a strike would close the port to most traffic.',
  'The port authority said it was disappointed by the vote and would ask the national mediator to call both sides to talks.',
];

/** A news site on loopback: an article, and a section robots.txt keeps crawlers out of. */
async function startSite() {
  const server = createServer((request, response) => {
    if (request.url === '/robots.txt') return response.end('User-agent: *\nDisallow: /members/\n');
    if (request.url?.startsWith('/news/')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(ARTICLE('Harbour pilots vote to strike', PILOT_PARAGRAPHS));
    }
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('pipeline: fetch, clean, extract and index through real BullMQ, Redis and PostgreSQL', () => {
  let servers: Servers;
  let stack: Stack;
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    servers = await startServers();
    site = await startSite();
    // The fetcher refuses loopback unless told otherwise, as it would an intranet address.
    stack = await startStack(servers, {
      FETCH_ALLOW_PRIVATE: '127.0.0.1',
      FETCH_ALLOWED_PORTS: new URL(site.origin).port,
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
    site?.server.close();
  });

  it('fetches a page by URL, and skips one robots.txt disallows, with the reason', async () => {
    const fetched = await postDocument(stack.api.url, {
      url: `${site.origin}/news/pilots`,
      source: 'Harbour Times',
    });
    const refused = await postDocument(stack.api.url, { url: `${site.origin}/members/pilots` });
    const [page, skipped] = await waitForDocuments(stack.api.url, [fetched, refused]);
    expect(page?.status).toBe('indexed');
    expect(page?.document?.title).toBe('Harbour pilots vote to strike');
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.skippedReason).toMatch(/robots/);
  });

  it('indexes a posted HTML page and finds it by search', async () => {
    const id = await postDocument(stack.api.url, {
      url: 'https://gazette.example/energy/tidal-turbines?utm_source=feed',
      source: 'The Test Gazette',
      html: ARTICLE('Tidal turbine trial powers nine thousand homes', PARAGRAPHS),
    });
    const [view] = await waitForDocuments(stack.api.url, [id]);
    expect(view?.status).toBe('indexed');
    expect(view?.document?.title).toBe('Tidal turbine trial powers nine thousand homes');
    expect(view?.document?.text).toContain('spawning grounds');
    expect(view?.document?.text).not.toContain('All rights reserved');

    const response = await fetch(`${stack.api.url}/search?q=${encodeURIComponent('turbine fishing')}`);
    const result = (await response.json()) as {
      total: number;
      hits: { id: string; snippet: string; score: number }[];
    };
    expect(result.total).toBe(1);
    expect(result.hits[0]?.id).toBe(id);
    expect(result.hits[0]?.score).toBeGreaterThan(0);
    expect(result.hits[0]?.snippet.length).toBeGreaterThan(0);
  });

  it('gives the same id to the same URL and keeps one row when a document is ingested again', async () => {
    const html = ARTICLE('Second trial planned for the estuary', PARAGRAPHS.slice(1));
    const first = await postDocument(stack.api.url, {
      url: 'https://gazette.example/energy/second-trial#comments',
      html,
    });
    await waitForDocuments(stack.api.url, [first]);
    const again = await postDocument(stack.api.url, {
      url: 'https://gazette.example/energy/second-trial',
      html,
    });
    expect(again).toBe(first);
    await waitForDocuments(stack.api.url, [again]);
    const { rows } = await stack.db.query<{ count: string }>(
      'SELECT count(*) AS count FROM documents WHERE id = $1',
      [first],
    );
    expect(Number(rows[0]?.count)).toBe(1);
  });

  it("learns a source's plain-text template across documents, shared through Redis", async () => {
    // A short line mid-article that the line heuristics keep (it could be a subheading):
    // only its repetition across the source's documents shows it is the site's.
    const banner = 'More from the Valmora Coast Radio newsroom';
    const story = (n: number) =>
      [
        `Ferry timetable ${n} changes from Monday`,
        '',
        `The island ferry company said on Thursday that sailing number ${n} would leave twenty minutes earlier from next week, after complaints from commuters who missed connecting trains.`,
        '',
        banner,
        '',
        `Passengers with season tickets will not need new cards, the company said, and the ${n} o'clock sailing on Sundays is unchanged.`,
      ].join('\n');
    const views = [];
    for (let n = 1; n <= 5; n++) {
      const id = await postDocument(stack.api.url, { text: story(n), source: 'Valmora Coast Radio' });
      views.push(...(await waitForDocuments(stack.api.url, [id])));
    }
    expect(views[0]?.document?.text).toContain(banner);
    const last = views[4]?.document;
    expect(last?.title).toBe('Ferry timetable 5 changes from Monday');
    expect(last?.text).not.toContain(banner);
    expect(last?.text).toContain('season tickets');
  });

  it('reports unknown documents as 404 and health, readiness and metrics as up', async () => {
    expect(await getDocument(stack.api.url, '0'.repeat(32))).toBeNull();
    expect((await fetch(`${stack.api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.api.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${stack.api.url}/metrics`)).text();
    expect(metrics).toMatch(/sluice_jobs_total\{queue="index",outcome="completed"\} [1-9]/);
    expect(metrics).toContain('sluice_job_duration_seconds_bucket{queue="extract"');
    expect(metrics).toContain('sluice_queue_jobs{queue="fetch",state="waiting"}');
  });

  it('serves the dashboard read-only without credentials', async () => {
    const page = await fetch(`${stack.api.url}/queues`);
    expect(page.status).toBe(200);
    const queues = (await (await fetch(`${stack.api.url}/queues/api/queues`)).json()) as {
      queues: { name: string; readOnlyMode: boolean }[];
    };
    expect(queues.queues.map((queue) => queue.name).sort()).toEqual([
      'extract',
      'feeds',
      'fetch',
      'index',
      'webhooks',
    ]);
    expect(queues.queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });
});
