/**
 * Child process for the feeds benchmark: many virtual feed hosts on loopback addresses
 * 127.0.10.1..N, each serving `feedsPerHost` RSS feeds that gain an item every 45 s and honour
 * ETags. Runs apart from the fetchers so their CPU figures exclude the server's.
 * Sends `{ ports }` when listening and `{ log }` (host, time) when asked with 'dump'.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const hosts = Number(process.argv[2] ?? 20);
const feedsPerHost = Number(process.argv[3] ?? 50);
const CHANGE_EVERY_MS = 45_000;
const log: [string, number, number][] = [];

function feedBody(host: string, feed: number, epoch: number) {
  const items = Array.from({ length: 10 }, (_, index) => {
    const n = epoch - index;
    const date = new Date(n * CHANGE_EVERY_MS).toUTCString();
    return `<item><title>Story ${n} of feed ${feed}</title><link>http://${host}/feed/${feed}/story/${n}</link><guid>${host}-${feed}-${n}</guid><pubDate>${date}</pubDate><description>Summary of story ${n}.</description></item>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${feed} on ${host}</title><link>http://${host}/</link>${items}</channel></rss>`;
}

const ports: number[] = [];
for (let index = 1; index <= hosts; index++) {
  const address = `127.0.10.${index}`;
  const server = createServer((request, response) => {
    const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
    if (!match || Number(match[1]) >= feedsPerHost) return response.writeHead(404).end();
    const feed = Number(match[1]);
    // Feeds change at different moments: offset by feed number.
    const epoch = Math.floor((Date.now() + feed * 997) / CHANGE_EVERY_MS);
    const etag = `"${feed}-${epoch}"`;
    const status = request.headers['if-none-match'] === etag ? 304 : 200;
    log.push([address, Date.now(), status]);
    if (status === 304) return response.writeHead(304, { etag }).end();
    response
      .writeHead(200, { 'content-type': 'application/rss+xml', etag })
      .end(feedBody(address, feed, epoch));
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  ports.push((server.address() as AddressInfo).port);
}
process.send?.({ ports });
process.on('message', (message) => {
  if (message === 'dump') process.send?.({ log });
  if (message === 'exit') process.exit(0);
});
