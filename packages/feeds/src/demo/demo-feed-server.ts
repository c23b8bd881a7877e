import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An article the demo feed lists and serves as a page. */
export interface DemoArticle {
  slug: string;
  headline: string;
  publishedAt: string;
  /** The page served at `/articles/<slug>`; given the page's own URL. */
  renderHtml(url: string): string;
  summary?: string;
}

export interface DemoFeedServer {
  /** The RSS feed to subscribe to. */
  feedUrl: string;
  origin: string;
  /** Add to FETCH_ALLOW_PRIVATE and FETCH_ALLOWED_PORTS so the guarded fetcher may reach it. */
  allowHost: string;
  port: number;
  close(): Promise<void>;
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Serves an RSS feed of the given articles, the article pages and a permissive robots.txt from
 * loopback, so `sluice start` without feeds or internet shows the whole path: feed, fetch,
 * clean, extract, index. Honours conditional GET like a real feed server.
 */
export async function startDemoFeedServer(
  articles: DemoArticle[],
  options: { host?: string; port?: number } = {},
): Promise<DemoFeedServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const renderFeed = () => {
    const items = articles
      .map(
        (article) => `    <item>
      <title>${xmlEscape(article.headline)}</title>
      <link>${origin}/articles/${article.slug}</link>
      <guid isPermaLink="true">${origin}/articles/${article.slug}</guid>
      <pubDate>${new Date(article.publishedAt).toUTCString()}</pubDate>
      ${article.summary ? `<description>${xmlEscape(article.summary)}</description>` : ''}
    </item>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Sluice demo feed</title>
    <link>${origin}/</link>
    <description>Sample articles served locally by sluice start</description>
${items}
  </channel>
</rss>`;
  };
  const etag = `"demo-${articles.length}-${articles.map((article) => article.slug).join(',').length}"`;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/robots.txt')
      return response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    if (path === '/feed.xml') {
      if (request.headers['if-none-match'] === etag) return response.writeHead(304, { etag }).end();
      return response
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag })
        .end(renderFeed());
    }
    const match = /^\/articles\/([\w-]+)$/.exec(path);
    const article = match && articles.find((candidate) => candidate.slug === match[1]);
    if (article) {
      return response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(article.renderHtml(`${origin}${path}`));
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    feedUrl: `${origin}/feed.xml`,
    origin,
    allowHost: host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
