import type { AddressInfo } from 'node:net';
import type { ExtractedDocument } from '@sluice/contracts';
import { type Database, DocumentStore, migrateStore, openDatabase } from '@sluice/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../context';
import { exportRoutesWith, NEXT_SINCE_HEADER } from './export';

const doc = (id: string, title: string, text: string, extra: Partial<ExtractedDocument> = {}) =>
  ({
    id: id.padEnd(32, '0'),
    url: `https://news.example/${id}`,
    source: 'news.example',
    title,
    text,
    lang: 'en',
    authors: [],
    entities: [],
    quotes: [],
    keywords: [],
    publishedAt: '2024-03-01T09:00:00Z',
    fetchedAt: '2024-03-01T10:00:00Z',
    extractedAt: '2024-03-01T10:00:01Z',
    ...extra,
  }) as ExtractedDocument;

const BULK = 600;
const BULK_TEXT_WORDS = 4_000; // about 20 KB of text per document
const BATCH = 20;

describe('GET /export', () => {
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  /** Export batch statements run so far (the store's keyset statement). */
  let batches = 0;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    await new DocumentStore(db).indexDocuments([
      doc('a1', 'Senate passes budget bill', 'The Senate passed the budget bill late on Thursday.'),
      doc('b1', 'Storm floods coastal towns', 'Heavy rain flooded coastal towns overnight.', {
        source: 'weather.example',
      }),
    ]);
    const counting = {
      ...db,
      query: ((sql: string, params?: unknown[], options?: { prepare?: boolean }) => {
        if (sql.includes('ORDER BY d.changed_at, d.id LIMIT')) batches += 1;
        return db.query(sql, params, options);
      }) as Database['query'],
    } as Database;
    app = Fastify();
    await exportRoutesWith({ batchSize: BATCH })(app, { db: counting } as ApiContext);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const lines = (body: string) =>
    body
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));

  it('streams NDJSON with the next watermark, filtered like search, and resumes from it', async () => {
    const response = await fetch(`${base}/export?source=weather.example`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const since = response.headers.get(NEXT_SINCE_HEADER);
    expect(since).toMatch(/^wm\./);
    const docs = lines(await response.text());
    expect(docs.map((entry) => entry.title)).toEqual(['Storm floods coastal towns']);
    expect(docs[0].text).toBe('Heavy rain flooded coastal towns overnight.');

    const all = lines(await (await fetch(`${base}/export`)).text());
    expect(all.length).toBe(2);
    const stories = lines(await (await fetch(`${base}/export/stories`)).text());
    expect(stories.length).toBe(2);
    expect(lines(await (await fetch(`${base}/export?type=stories&q=budget`)).text()).length).toBe(1);

    await new DocumentStore(db).indexDocuments([doc('c1', 'Later story', 'Indexed after the first pull.')]);
    const next = await fetch(`${base}/export?since=${encodeURIComponent(since!)}`);
    expect(lines(await next.text()).map((entry) => entry.title)).toEqual(['Later story']);
  });

  it('refuses bad parameters with a 400 and a reason', async () => {
    for (const [query, reason] of [
      ['lang=english!', 'lang'],
      ['since=wm.nonsense', 'since'],
      ['from=yesterday-ish', 'from'],
      ['type=feeds', 'type'],
      ['type=stories&lang=en', 'do not apply to stories'],
    ]) {
      const response = await fetch(`${base}/export?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(reason);
    }
  });

  it('reads the database only as fast as the client reads, and stops when it goes away', async () => {
    // Bulk rows straight in SQL: large texts, no search vector needed for an unfiltered export.
    await db.query(
      `INSERT INTO documents (id, url, title, text, ts_config, fetched_at, extracted_at, event_at, body_hash,
         content_hash, search_vector)
       SELECT '9' || lpad(to_hex(g), 31, '0'), 'https://bulk.example/' || g, 'Bulk ' || g, repeat('harbour ', $1),
         'english', now(), now(), now(), md5(g::text), md5(g::text), ''::tsvector
       FROM generate_series(1, $2) AS g`,
      [BULK_TEXT_WORDS, BULK],
    );
    const totalBatches = Math.ceil((BULK + 3) / BATCH);
    batches = 0;
    const response = await request(`${base}/export`);
    const first = await new Promise<Buffer>((resolve) => response.body.once('data', resolve));
    response.body.pause();
    expect(first.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const whilePaused = batches;
    // Kernel socket buffers hold a few MB; the export is about 20 MB in ${totalBatches} batches.
    expect(whilePaused).toBeLessThan(totalBatches / 2);
    response.body.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const afterClose = batches;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(batches).toBe(afterClose);
    expect(afterClose).toBeLessThan(totalBatches);
    console.log(
      `export backpressure: ${whilePaused} of ${totalBatches} batches read while the client paused, ${afterClose} when it left`,
    );

    // A client that reads everything gets every row, once.
    const full = await fetch(`${base}/export`);
    const ids = lines(await full.text()).map((entry) => entry.id as string);
    expect(ids.length).toBe(BULK + 3);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});
