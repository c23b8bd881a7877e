import type { ExtractedDocument } from '@sluice/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { EXACT_MATCHES } from './search-documents';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const minhash = (seed: number, length = 128) =>
  Array.from({ length }, (_, index) => (seed * 7919 + index * 104729) >>> 0);

const simhash = (seed: number) => (seed * 2654435761 + 12345).toString(16).padStart(16, '0').slice(-16);

/** A mix that exercises every decision: stories, URL/body/near duplicates within the batch, a repeat. */
function mixedDocuments(): ExtractedDocument[] {
  const events = [
    [
      'Volcano erupts near Reykjavik, flights grounded',
      'Lava on the Reykjanes peninsula closed Keflavik airport.',
    ],
    [
      'Central bank raises interest rates again',
      'The central bank raised its benchmark rate by a quarter point.',
    ],
    [
      'Harbour strike halts container traffic',
      'Dock workers walked out, halting container traffic at the harbour.',
    ],
  ] as const;
  const docs: ExtractedDocument[] = [];
  for (let index = 0; index < 18; index += 1) {
    const [title, lead] = events[index % 3]!;
    docs.push(
      extractedDocument({
        id: testId(`m${index}`),
        source: `site${index % 4}.example`,
        title: `${title} (${index})`,
        text: `${lead} Reporters filed update number ${index} with fresh details on day ${index % 3}.`,
        publishedAt: new Date(Date.UTC(2024, 4, 1, index)).toISOString(),
        entities: [
          { type: 'place', name: index % 3 === 0 ? 'Iceland' : 'Harbour City', aliases: [], mentions: 1 },
        ],
        fingerprints: { simhash: simhash(index), minhash: minhash(100 + index) },
      }),
    );
  }
  const body =
    'Officials confirmed the reservoir reached its highest level in a decade after weeks of rain. ';
  docs.push(
    extractedDocument({ id: testId('body1'), title: 'Reservoir high', text: body.repeat(3) }),
    // Same body elsewhere: an exact duplicate of body1 within the batch.
    extractedDocument({
      id: testId('body2'),
      url: 'https://mirror.example/r',
      source: 'mirror.example',
      title: 'Reservoir',
      text: body.repeat(3),
    }),
    // Same address as m1: an exact duplicate by URL.
    extractedDocument({
      id: testId('url1'),
      url: `https://example.com/${testId('m1')}`,
      text: 'Other words.',
    }),
    // A near duplicate of m4 (most MinHash positions agree).
    extractedDocument({
      id: testId('near1'),
      title: 'Harbour strike halts container traffic (wire)',
      text: 'Dock workers walked out. Syndicated.',
      fingerprints: {
        simhash: simhash(4),
        minhash: minhash(104).map((value, index) => (index % 20 === 0 ? 1 : value)),
      },
    }),
  );
  // A repeat of an earlier document in the same batch: unchanged.
  docs.push(docs[2]!);
  return docs;
}

describe.each(BACKENDS)('batch indexing on %s', (backend) => {
  const open: Database[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });
  const store = async () => {
    const db = await freshDatabase(backend);
    open.push(db);
    return { db, store: new DocumentStore(db) };
  };

  it('decides duplicates and stories exactly as indexing one document at a time', async () => {
    const docs = mixedDocuments();
    const one = await store();
    const single = [];
    for (const doc of docs) single.push(await one.store.indexDocument(doc));
    const many = await store();
    const batch = await many.store.indexDocuments(docs);
    expect(batch).toEqual(single);
    expect(batch.map((outcome) => outcome.action)).toEqual(
      expect.arrayContaining(['duplicate', 'unchanged']),
    );
    expect(batch.find((outcome) => outcome.id === testId('body2'))).toMatchObject({
      duplicateOf: testId('body1'),
      duplicateKind: 'exact',
    });
    expect(batch.find((outcome) => outcome.id === testId('near1'))).toMatchObject({
      duplicateOf: testId('m4'),
      duplicateKind: 'near',
    });
    expect(new Set(batch.slice(0, 18).map((outcome) => outcome.storyId)).size).toBeLessThan(18);

    const state = async (db: Database) =>
      (
        await db.query(
          `SELECT json_build_object(
             'stories', (SELECT json_agg(s ORDER BY id) FROM (SELECT id, headline, document_count, sources,
                -- Sets: the order of equal-weight terms follows how the profile was last read.
                (SELECT array_agg(t ORDER BY t) FROM unnest(terms) t) AS terms,
                (SELECT array_agg(k ORDER BY k) FROM unnest(entity_keys) k) AS entity_keys, first_seen_at, last_seen_at, profile, headline_vector FROM stories) s),
             'terms', (SELECT json_agg(t ORDER BY term) FROM story_term_frequencies t),
             'counters', (SELECT json_agg(c) FROM index_counters c),
             'urls', (SELECT json_agg(u ORDER BY url) FROM (SELECT url, document_id, source FROM document_urls) u),
             'keys', (SELECT count(*) FROM document_fingerprint_keys),
             'links', (SELECT json_agg(l ORDER BY document_id, name) FROM (SELECT de.document_id, e.name, de.mentions
                FROM document_entities de JOIN entities e ON e.id = de.entity_id) l),
             'sources', (SELECT json_agg(json_build_object('id', id, 'sources', sources) ORDER BY id) FROM documents)
           ) AS state`,
        )
      ).rows[0];
    expect(await state(many.db)).toEqual(await state(one.db));
    expect((await many.store.getDocument(testId('body1')))?.sources).toEqual([
      'example.com',
      'mirror.example',
    ]);
  });

  it('takes updates and repeats inside a batch through the one-at-a-time path', async () => {
    const { store: s } = await store();
    const doc = extractedDocument({
      id: testId('u1'),
      title: 'Bridge reopens',
      text: 'The bridge reopened.',
    });
    await s.indexDocument(doc);
    const outcomes = await s.indexDocuments([
      extractedDocument({ id: testId('u2'), title: 'Tunnel closes', text: 'The tunnel closed for repairs.' }),
      { ...doc, text: 'The bridge reopened after repairs.' },
      extractedDocument({ id: testId('u3'), title: 'Ferry resumes', text: 'The ferry resumed service.' }),
    ]);
    expect(outcomes.map((outcome) => outcome.action)).toEqual(['inserted', 'updated', 'inserted']);
    expect((await s.getDocument(testId('u1')))?.version).toBe(2);
  });
});

describe('broad searches on postgres', () => {
  it('ranks the newest matches of a query that matches more than the exact limit, with an estimated total', async () => {
    const db = await freshDatabase('postgres');
    try {
      const s = new DocumentStore(db);
      const count = EXACT_MATCHES + 100;
      const docs = Array.from({ length: count }, (_, index) =>
        extractedDocument({
          id: testId(`b${index}`).slice(0, 24) + index.toString(16).padStart(8, '0'),
          url: `https://example.com/b/${index}`,
          title: index % 50 === 0 ? `Glacier report ${index}` : `Weather note ${index}`,
          text: `The glacier moved ${index} metres this season, surveyors said in note ${index}.`,
          publishedAt: new Date(Date.UTC(2024, 0, 1) + index * 3_600_000).toISOString(),
        }),
      );
      for (let offset = 0; offset < count; offset += 100)
        await s.indexDocuments(docs.slice(offset, offset + 100));

      const broad = await s.search({ q: 'glacier', limit: 10 });
      expect(broad.approximate).toBe(true);
      expect(broad.total).toBeGreaterThan(EXACT_MATCHES);
      expect(broad.hits).toHaveLength(10);
      expect(broad.nextCursor).not.toBeNull();
      // Title matches rank first among the newest matches.
      expect(broad.hits[0]?.title).toMatch(/^Glacier report/);

      const listing = await s.search({ limit: 5 });
      expect(listing.approximate).toBe(true);
      expect(listing.hits.map((hit) => hit.id)).toEqual(
        docs
          .slice(-5)
          .reverse()
          .map((doc) => doc.id),
      );
      const next = await s.search({ limit: 5, cursor: listing.nextCursor });
      expect(next.hits[0]?.id).toBe(docs.at(-6)?.id);

      // Only exclusions: matches almost everything without the GIN index.
      const excluded = await s.search({ q: '-glacier', limit: 5 });
      expect(excluded.total).toBe(0);
      const notReport = await s.search({ q: 'glacier -report', limit: 5 });
      expect(notReport.hits.every((hit) => !hit.title?.startsWith('Glacier report'))).toBe(true);

      const narrow = await s.search({ q: 'report' });
      expect(narrow.approximate).toBeUndefined();
      expect(narrow.total).toBe(Math.ceil(count / 50));
    } finally {
      await db.close();
    }
  });
});
