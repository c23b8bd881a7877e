import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { feedsCommand } from './feeds';
import { sitemapsCommand } from './sitemaps';

// A stand-in API on loopback that records what the CLI sends; the real routes have their own tests.
let api: Server;
const received: { method: string; url: string; body: string; type: string }[] = [];
const savedUrl = process.env.SLUICE_API_URL;
let dir: string;

beforeAll(async () => {
  api = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        body,
        type: request.headers['content-type'] ?? '',
      });
      response.setHeader('content-type', 'application/json');
      if (request.method === 'POST' && request.url === '/feeds') {
        const { url } = JSON.parse(body) as { url: string };
        if (url.includes('10.0.0.1'))
          return response.writeHead(422).end(JSON.stringify({ error: 'refusing 10.0.0.1' }));
        return response.writeHead(201).end(JSON.stringify({ id: 'f1', url }));
      }
      if (request.url === '/feeds') {
        return response.end(
          JSON.stringify({
            feeds: [
              {
                id: 'f1',
                url: 'https://a.example/rss',
                status: 'paused',
                intervalMs: 600_000,
                consecutiveFailures: 10,
                lastError: 'HTTP 500',
                itemsSeen: 3,
              },
            ],
          }),
        );
      }
      if (request.url === '/feeds/import')
        return response.end(JSON.stringify({ found: 2, added: 2, refused: [] }));
      if (request.url === '/sitemaps')
        return response.writeHead(201).end(JSON.stringify({ id: 's1', url: JSON.parse(body).url }));
      response.writeHead(404).end(JSON.stringify({ error: 'no such thing' }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  process.env.SLUICE_API_URL = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-feeds-'));
});

afterAll(async () => {
  process.env.SLUICE_API_URL = savedUrl;
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => api.close(resolve));
});

async function run(command: typeof feedsCommand, argv: string[]) {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => {
    lines.push(line);
  });
  try {
    return { code: await command.run(argv), lines };
  } finally {
    spy.mockRestore();
  }
}

describe('sluice feeds / sitemaps', () => {
  it('adds a feed through the API and reports it', async () => {
    const result = await run(feedsCommand, ['add', 'https://site.example/', '--full-content']);
    expect(result).toEqual({ code: 0, lines: ['added f1 https://site.example/'] });
    expect(JSON.parse(received.at(-1)!.body)).toEqual({
      url: 'https://site.example/',
      fullContent: true,
      discover: true,
    });
  });

  it("shows a paused feed's failures in the list", async () => {
    const { lines } = await run(feedsCommand, ['list']);
    expect(lines[0]).toMatch(
      /f1\s+paused\s+every 10 min\s+https:\/\/a\.example\/rss\s+\(10 failures: HTTP 500\)/,
    );
  });

  it("fails with the API's error message", async () => {
    await expect(run(feedsCommand, ['add', 'http://10.0.0.1/'])).rejects.toThrow(/422 refusing 10\.0\.0\.1/);
  });

  it('sends an OPML file as XML', async () => {
    const file = join(dir, 'subs.opml');
    writeFileSync(file, '<opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/></body></opml>');
    const { lines } = await run(feedsCommand, ['import', file]);
    expect(lines[0]).toBe(`2 feeds in ${file}: 2 added`);
    expect(received.at(-1)).toMatchObject({ url: '/feeds/import', type: 'text/xml' });
  });

  it('adds a sitemap', async () => {
    const { lines } = await run(sitemapsCommand, ['add', 'https://site.example/sitemap.xml.gz']);
    expect(lines).toEqual(['added s1 https://site.example/sitemap.xml.gz']);
  });
});
