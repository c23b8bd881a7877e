import type { ExtractedDocument } from '@sluice/contracts';
import { type Database, DocumentStore, migrateStore, openDatabase } from '@sluice/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../context';
import { entityRoutes } from './entities';
import { searchRoutes } from './search';
import { storyRoutes } from './stories';

const doc = (
  id: string,
  title: string,
  text: string,
  extra: Partial<ExtractedDocument> = {},
): ExtractedDocument => ({
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
});

describe('search, story and entity routes', () => {
  let db: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    const senate = { type: 'organization' as const, name: 'Senate', aliases: [], mentions: 2 };
    await new DocumentStore(db).indexDocuments([
      doc('a1', 'Senate passes budget bill', 'The Senate passed the budget bill late on Thursday.', {
        entities: [senate],
      }),
      doc('a2', 'Budget bill clears Senate vote', 'Senators voted for the budget bill on Thursday night.', {
        entities: [senate],
        source: 'other.example',
      }),
      doc('b1', 'Storm floods coastal towns', 'Heavy rain flooded coastal towns overnight.'),
    ]);
    // Only the database is used by these routes.
    const context = { db } as ApiContext;
    app = Fastify();
    for (const register of [searchRoutes, storyRoutes, entityRoutes]) await register(app, context);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('GET /search returns ranked hits with snippets and facets, and rejects bad parameters', async () => {
    const response = await app.inject({ url: '/search?q=budget&facets=1&limit=1' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(2);
    expect(body.hits).toHaveLength(1);
    expect(body.hits[0]).toMatchObject({
      title: expect.stringContaining('udget'),
      source: expect.any(String),
    });
    expect(body.hits[0].snippet).toContain('<mark>');
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(body.facets.sources).toHaveLength(2);

    const next = (await app.inject({ url: `/search?q=budget&limit=1&cursor=${body.nextCursor}` })).json();
    expect(next.hits[0].id).not.toBe(body.hits[0].id);

    expect((await app.inject({ url: '/search?q=budget&from=not-a-date' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/search?limit=1000' })).statusCode).toBe(400);
  });

  it('GET /stories and /stories/:id show the budget story with both sources', async () => {
    const list = (await app.inject({ url: '/stories?q=budget' })).json();
    expect(list.stories).toHaveLength(1);
    const story = list.stories[0];
    expect(story).toMatchObject({ documentCount: 2, sourceCount: 2 });
    const detail = (await app.inject({ url: `/stories/${story.id}` })).json();
    expect(detail.timeline.map((item: { id: string }) => item.id).sort()).toEqual(
      ['a1'.padEnd(32, '0'), 'a2'.padEnd(32, '0')].sort(),
    );
    expect(detail.entities[0]).toMatchObject({ name: 'Senate', documents: 2 });
    // The span comes from the members' publication times; none is undated here.
    expect(detail).toMatchObject({
      publishedSpan: { from: '2024-03-01T09:00:00.000Z', to: '2024-03-01T09:00:00.000Z' },
      undatedDocuments: 0,
    });
    expect(detail.timeline[0]).toMatchObject({ dateKnown: true, atSource: 'published' });
    expect((await app.inject({ url: `/stories/${'f'.repeat(32)}` })).statusCode).toBe(404);
  });

  it('POST /stories/:id/merge folds one story into another', async () => {
    const budget = (await app.inject({ url: '/stories?q=budget' })).json().stories[0];
    const storm = (await app.inject({ url: '/stories?q=storm' })).json().stories[0];
    const merge = (from: unknown, into = budget.id) =>
      app.inject({ method: 'POST', url: `/stories/${into}/merge`, payload: { from } });
    expect((await merge('nope')).statusCode).toBe(400);
    expect((await merge(budget.id)).statusCode).toBe(400);
    expect((await merge('f'.repeat(32))).statusCode).toBe(404);

    const merged = await merge(storm.id);
    expect(merged.statusCode).toBe(200);
    expect(
      merged
        .json()
        .timeline.map((item: { id: string }) => item.id)
        .sort(),
    ).toEqual(['a1', 'a2', 'b1'].map((id) => id.padEnd(32, '0')).sort());
    expect((await merge(storm.id)).statusCode).toBe(404);
    const found = (await app.inject({ url: '/search?q=storm' })).json();
    expect(found.hits[0].storyId).toBe(budget.id);
  });

  it('GET /entities finds an entity by a misspelt name and lists its documents', async () => {
    const found = (await app.inject({ url: '/entities?q=senat' })).json();
    expect(found.entities[0]).toMatchObject({ name: 'Senate', type: 'organization', documentCount: 2 });
    const documents = (await app.inject({ url: `/entities/${found.entities[0].id}/documents` })).json();
    expect(documents.documents).toHaveLength(2);
    expect((await app.inject({ url: '/entities/999999/documents' })).statusCode).toBe(404);
  });
});
