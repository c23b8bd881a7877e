import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentIdForUrl } from '@sluice/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const MOSQUE = [
  'The plan to build an Islamic community centre two blocks from the site of the World Trade Center has divided the city, with opponents saying it disrespects the victims of the attacks.',
  "The towers fell on September 11, 2001, killing nearly 3,000 people. Relatives of the victims have led protests at the site in recent weeks, while supporters point to the constitution's guarantee of religious freedom.",
  'The landmarks commission is expected to rule on the building next month. The mayor has said that the government should not decide which places of worship may be built where.',
];

/** A page that states no publication time of its own. */
const UNDATED_PAGE = `<!doctype html><html lang="en"><head><title>Ground Zero centre divides city</title></head>
<body><article><h1>Ground Zero centre divides city</h1>${MOSQUE.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;

/** A feed whose item gives the page's publication time, author and categories. */
const FEED = (origin: string) => `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>City Desk</title><link>${origin}/</link>
<item><title>Ground Zero centre divides city</title><link>${origin}/news/centre</link>
<pubDate>Fri, 02 Jul 2010 14:30:00 GMT</pubDate><dc:creator>Ann Quay</dc:creator><category>New York</category></item>
</channel></rss>`;

async function startSite() {
  const server = createServer((request, response) => {
    if (request.url === '/robots.txt') return response.end('User-agent: *\nAllow: /\n');
    if (request.url === '/feed.xml') {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      return response.end(FEED(origin));
    }
    if (request.url === '/news/centre') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(UNDATED_PAGE);
    }
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

interface StoryView {
  id: string;
  publishedSpan: { from: string; to: string } | null;
  undatedDocuments: number;
  timeline: { id: string; at: string; publishedAt: string | null; dateKnown: boolean; atSource: string }[];
}

describe('dates through the pipeline on real Redis and PostgreSQL', () => {
  let servers: Servers;
  let stack: Stack;
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    servers = await startServers();
    site = await startSite();
    const port = new URL(site.origin).port;
    // The API checks feed addresses with the same settings the fetcher uses.
    process.env.FETCH_ALLOW_PRIVATE = '127.0.0.1';
    process.env.FETCH_ALLOWED_PORTS = port;
    stack = await startStack(servers, { FETCH_ALLOW_PRIVATE: '127.0.0.1', FETCH_ALLOWED_PORTS: port });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
    site?.server.close();
    delete process.env.FETCH_ALLOW_PRIVATE;
    delete process.env.FETCH_ALLOWED_PORTS;
  });

  it('gives an undated page the publication time, author and categories its feed item carries', async () => {
    const response = await fetch(`${stack.api.url}/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${site.origin}/feed.xml` }),
    });
    expect(response.status).toBe(201);
    const id = documentIdForUrl(`${site.origin}/news/centre`);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await fetch(`${stack.api.url}/documents/${id}`)).status === 404) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [view] = await waitForDocuments(stack.api.url, [id]);
    expect(view?.status).toBe('indexed');
    expect(view?.document).toMatchObject({
      title: 'Ground Zero centre divides city',
      publishedAt: '2010-07-02T14:30:00.000Z',
      publishedAtSource: 'feed:published',
      authors: ['Ann Quay'],
    });
    expect(view?.document?.keywords).toContain('New York');
  });

  it('leaves a page without publishing signals undated, and keeps it out of its story’s span', async () => {
    const undated = await postDocument(stack.api.url, {
      source: 'Metro Wire',
      text: ['Islamic centre near Ground Zero divides New York', ...MOSQUE].join('\n\n'),
    });
    const dated = await postDocument(stack.api.url, {
      source: 'Harbour Times',
      text: ['Islamic centre near Ground Zero divides New York', '2010-07-03', ...MOSQUE.slice(0, 2)].join(
        '\n\n',
      ),
    });
    const [undatedView, datedView] = await waitForDocuments(stack.api.url, [undated, dated]);
    expect(undatedView?.document).toMatchObject({ publishedAt: null, publishedAtSource: 'mentions-only' });
    expect(datedView?.document).toMatchObject({ publishedAt: '2010-07-03T00:00:00.000Z' });

    // Whatever the story model decided, put the two in one story through the API, as an editor would.
    const storyOf = async (id: string) =>
      (await stack.db.query<{ story_id: string }>('SELECT story_id FROM documents WHERE id = $1', [id]))
        .rows[0]?.story_id;
    const [datedStory, undatedStory] = [await storyOf(dated), await storyOf(undated)];
    expect(datedStory).toEqual(expect.any(String));
    if (undatedStory !== datedStory) {
      const merged = await fetch(`${stack.api.url}/stories/${datedStory}/merge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: undatedStory }),
      });
      expect(merged.status).toBe(200);
    }
    const story = (await (await fetch(`${stack.api.url}/stories/${datedStory}`)).json()) as StoryView;
    const { rows } = await stack.db.query<{ published_at: Date | null }>(
      'SELECT published_at FROM documents WHERE story_id = $1 AND published_at IS NOT NULL',
      [story.id],
    );
    const datedTimes = rows.map((row) => row.published_at!.toISOString()).sort();
    expect(story.publishedSpan).toEqual({ from: datedTimes[0], to: datedTimes.at(-1) });
    expect(story.publishedSpan?.to.startsWith('2010-')).toBe(true);
    expect(story.undatedDocuments).toBeGreaterThanOrEqual(1);
    const undatedItem = story.timeline.find((item) => item.id === undated);
    expect(undatedItem).toMatchObject({ dateKnown: false, atSource: 'first-seen', publishedAt: null });
    // Placed by when it was first seen: today, not 2001 and not 2010.
    expect(Date.now() - Date.parse(undatedItem!.at)).toBeLessThan(10 * 60_000);
  });
});
