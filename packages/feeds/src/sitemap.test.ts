import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSitemapBody } from './sitemap';
import { UnsafeXmlError } from './xml-guard';

const enc = (text: string) => new TextEncoder().encode(text);

const NEWS = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/a</loc>
    <news:news><news:publication><news:name>News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-01-02T10:00:00+01:00</news:publication_date><news:title>Story A</news:title></news:news>
  </url>
  <url><loc>https://news.example/b</loc><lastmod>2024-01-01</lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>`;

describe('parseSitemapBody', () => {
  it('reads Google News sitemaps', async () => {
    const parsed = await parseSitemapBody(enc(NEWS), { sitemapUrl: 'https://news.example/sitemap.xml' });
    expect(parsed.kind).toBe('urlset');
    if (parsed.kind !== 'urlset') return;
    expect(parsed.entries).toEqual([
      {
        url: 'https://news.example/a',
        lastmod: null,
        newsTitle: 'Story A',
        publishedAt: '2024-01-02T09:00:00.000Z',
      },
      {
        url: 'https://news.example/b',
        lastmod: '2024-01-01T00:00:00.000Z',
        newsTitle: null,
        publishedAt: null,
      },
    ]);
  });

  it('reads a gzip-compressed sitemap index', async () => {
    const index = `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml</loc><lastmod>2024-01-03</lastmod></sitemap>
      <sitemap><loc>https://news.example/s2.xml.gz</loc></sitemap></sitemapindex>`;
    const parsed = await parseSitemapBody(gzipSync(index), {
      sitemapUrl: 'https://news.example/index.xml.gz',
    });
    expect(parsed).toEqual({
      kind: 'index',
      sitemaps: [
        { url: 'https://news.example/s1.xml', lastmod: '2024-01-03T00:00:00.000Z' },
        { url: 'https://news.example/s2.xml.gz', lastmod: null },
      ],
      dropped: 0,
    });
  });

  it('keeps at most maxEntries and stops a gzip bomb at the byte cap', async () => {
    const many = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Array.from(
      { length: 50 },
      (_, i) => `<url><loc>https://news.example/${i}</loc></url>`,
    ).join('')}</urlset>`;
    const parsed = await parseSitemapBody(enc(many), { sitemapUrl: 'https://news.example/', maxEntries: 10 });
    expect(parsed.kind === 'urlset' && [parsed.entries.length, parsed.dropped]).toEqual([10, 40]);
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 32));
    await expect(
      parseSitemapBody(bomb, { sitemapUrl: 'https://x.example/', maxBytes: 1024 * 1024 }),
    ).rejects.toThrow(/exceeds/);
  });

  it('refuses entity declarations', async () => {
    const hostile = `<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaa">]><urlset><url><loc>&a;</loc></url></urlset>`;
    await expect(parseSitemapBody(enc(hostile), { sitemapUrl: 'https://x.example/' })).rejects.toThrow(
      UnsafeXmlError,
    );
  });
});
