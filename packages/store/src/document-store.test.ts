import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { getStory } from './story-queries';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const minhash = (seed: number, length = 128) =>
  Array.from({ length }, (_, index) => (seed * 7919 + index * 104729) >>> 0);

describe.each(BACKENDS)('DocumentStore on %s', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });
  const open = async () => {
    db = await freshDatabase(backend);
    return new DocumentStore(db);
  };

  it('indexes a document once however often it arrives, and keeps history of updates', async () => {
    const store = await open();
    const doc = extractedDocument({
      id: testId('a'),
      title: 'Harbour bridge reopens',
      text: 'The bridge reopened.',
    });
    expect((await store.indexDocument(doc)).action).toBe('inserted');
    expect((await store.indexDocument({ ...doc, extractedAt: '2024-06-01T00:00:00Z' })).action).toBe(
      'unchanged',
    );
    expect(await store.countDocuments()).toBe(1);

    const updated = await store.indexDocument({
      ...doc,
      text: 'The bridge reopened after repairs to the deck.',
    });
    expect(updated.action).toBe('updated');
    const stored = await store.getDocument(doc.id);
    expect(stored?.text).toBe('The bridge reopened after repairs to the deck.');
    expect(stored?.version).toBe(2);
    expect(stored?.versions.map((version) => version.version)).toEqual([1]);
    expect(stored?.textSearchConfig).toBe('english');
    expect(await store.countDocuments()).toBe(1);
    expect(await store.getDocument(testId('missing'))).toBeNull();
  });

  it('ranks title matches first, stems by language, and honours phrase and exclusion syntax', async () => {
    const store = await open();
    await store.indexDocuments([
      extractedDocument({
        id: testId('title'),
        title: 'Elections in the north',
        text: 'Voters went to the polls on Sunday in cold weather across the region.',
      }),
      extractedDocument({
        id: testId('body'),
        title: 'Weather report',
        text: 'Rain is expected. The election of a new mayor was also held, with results due Monday.',
      }),
      extractedDocument({
        id: testId('fr'),
        title: 'Les élections municipales',
        text: 'Les électeurs ont voté dimanche dans les grandes villes.',
        lang: 'fr',
        source: 'lemonde.fr',
      }),
    ]);
    const english = await store.search({ q: 'election' });
    expect(english.hits.map((hit) => hit.id)).toEqual([testId('title'), testId('body')]);
    expect(english.total).toBe(2);
    expect(english.hits[1]?.snippet).toContain('<mark>election</mark>');

    // French stemming: "élection" finds the French document through its own configuration.
    const french = await store.search({ q: 'élection' });
    expect(french.hits.map((hit) => hit.id)).toContain(testId('fr'));

    expect((await store.search({ q: '"new mayor"' })).hits.map((hit) => hit.id)).toEqual([testId('body')]);
    expect((await store.search({ q: 'election -rain' })).hits.map((hit) => hit.id)).toEqual([
      testId('title'),
    ]);
    expect((await store.search({ q: 'élection', source: 'lemonde.fr' })).total).toBe(1);
    expect((await store.search({ q: 'élection', lang: 'fr' })).hits.map((hit) => hit.id)).toEqual([
      testId('fr'),
    ]);
  });

  it('filters by time, entity and story, counts facets, and pages with a cursor', async () => {
    const store = await open();
    const docs = Array.from({ length: 7 }, (_, index) =>
      extractedDocument({
        id: testId(`p${index}`),
        title: `Port strike day ${index}`,
        text: `Dock workers continued the strike on day ${index}, unions said.`,
        source: index % 2 === 0 ? 'even.example' : 'odd.example',
        publishedAt: `2024-05-0${index + 1}T12:00:00Z`,
        entities:
          index < 3 ? [{ type: 'organization', name: 'Dock Workers Union', aliases: [], mentions: 2 }] : [],
      }),
    );
    await store.indexDocuments(docs);

    const ranged = await store.search({ q: 'strike', from: '2024-05-02', to: '2024-05-04' });
    expect(ranged.hits.map((hit) => hit.id).sort()).toEqual([testId('p1'), testId('p2')].sort());

    const faceted = await store.search({ q: 'strike', facets: true });
    expect(faceted.facets?.sources).toEqual([
      { value: 'even.example', count: 4 },
      { value: 'odd.example', count: 3 },
    ]);
    expect(faceted.facets?.languages).toEqual([{ value: 'en', count: 7 }]);
    const union = faceted.facets?.entities[0];
    expect(union).toMatchObject({ name: 'Dock Workers Union', type: 'organization', count: 3 });
    expect((await store.search({ q: 'strike', entity: union!.id })).total).toBe(3);

    // An update's entities replace the old ones in the entity filter and the facets.
    await store.indexDocument({ ...docs[0]!, text: `${docs[0]!.text} Updated.`, entities: [] });
    await store.indexDocument({
      ...docs[5]!,
      text: `${docs[5]!.text} Updated.`,
      entities: [{ type: 'organization', name: 'Dock Workers Union', aliases: [], mentions: 1 }],
    });
    const byUnion = await store.search({ q: 'strike', entity: union!.id });
    expect(byUnion.hits.map((hit) => hit.id).sort()).toEqual(
      [testId('p1'), testId('p2'), testId('p5')].sort(),
    );
    expect((await store.search({ q: 'strike', facets: true })).facets?.entities[0]?.count).toBe(3);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.search({ q: 'strike', limit: 3, cursor });
      seen.push(...page.hits.map((hit) => hit.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(docs.map((doc) => doc.id).sort());

    const storyId = (await store.getDocument(testId('p0')))!.storyId!;
    expect((await store.search({ story: storyId })).total).toBeGreaterThan(0);
    expect((await store.search({ q: 'strike', onePerStory: true })).total).toBeLessThan(7);
  });

  it('merges exact duplicates and links near-duplicates, showing each once', async () => {
    const store = await open();
    const text =
      'Officials confirmed that the reservoir reached its highest level in a decade after weeks of rain. '.repeat(
        3,
      );
    const original = extractedDocument({
      id: testId('orig'),
      title: 'Reservoir at decade high',
      text,
      fingerprints: { simhash: '0123456789abcdef', minhash: minhash(1) },
    });
    await store.indexDocument(original);

    const copy = await store.indexDocument(
      extractedDocument({
        id: testId('copy'),
        url: 'https://mirror.example/r',
        source: 'mirror.example',
        title: 'Reservoir',
        text,
      }),
    );
    expect(copy).toMatchObject({ action: 'duplicate', duplicateOf: original.id, duplicateKind: 'exact' });
    const merged = await store.getDocument(original.id);
    expect(merged?.urls).toEqual(
      expect.arrayContaining(['https://example.com/' + original.id, 'https://mirror.example/r']),
    );
    expect(merged?.sources).toEqual(['example.com', 'mirror.example']);

    const nearHash = minhash(1);
    for (let index = 0; index < 10; index += 1) nearHash[index * 3] = 99;
    const near = await store.indexDocument(
      extractedDocument({
        id: testId('near'),
        title: 'Reservoir at decade high (updated)',
        text: `${text} Copyright Syndicated Wire.`,
        fingerprints: { simhash: 'fedcba9876543210', minhash: nearHash },
      }),
    );
    expect(near).toMatchObject({ action: 'duplicate', duplicateOf: original.id, duplicateKind: 'near' });
    expect(near.storyId).toBe((await store.getDocument(original.id))?.storyId);

    const different = minhash(1);
    for (let index = 0; index < 60; index += 1) different[index * 2] = 7;
    const notNear = await store.indexDocument(
      extractedDocument({
        id: testId('other'),
        title: 'Reservoir levels elsewhere',
        text: 'Other reservoirs in the south stayed low despite the rain, officials said on Tuesday.',
        fingerprints: { simhash: '0123456789abcdef'.replace('0', '8'), minhash: different },
      }),
    );
    expect(notNear.action).toBe('inserted');

    const results = await store.search({ q: 'reservoir' });
    expect(results.hits.map((hit) => hit.id).sort()).toEqual([original.id, testId('other')].sort());
    expect((await store.search({ q: 'reservoir', includeDuplicates: true })).total).toBe(4);
    expect((await store.getDocument(original.id))?.duplicates.sort()).toEqual(
      [testId('copy'), testId('near')].sort(),
    );
  });

  it('groups reports of one event into a story and keeps another event apart; stories can merge', async () => {
    const store = await open();
    const iran = { type: 'place' as const, name: 'Iran', aliases: [], mentions: 3 };
    const first = await store.indexDocument(
      extractedDocument({
        id: testId('s1'),
        title: 'Volcano erupts near Reykjavik, flights grounded',
        text: 'A volcano erupted on the Reykjanes peninsula, grounding flights at Keflavik airport.',
        entities: [iran],
      }),
    );
    const second = await store.indexDocument(
      extractedDocument({
        id: testId('s2'),
        source: 'other.example',
        title: 'Flights grounded as Icelandic volcano erupts',
        text: 'Lava from the volcano on the Reykjanes peninsula forced Keflavik airport to ground flights.',
        publishedAt: '2024-05-01T16:00:00Z',
      }),
    );
    const other = await store.indexDocument(
      extractedDocument({
        id: testId('s3'),
        title: 'Central bank raises interest rates',
        text: 'The central bank raised its benchmark interest rate by a quarter point.',
      }),
    );
    expect(second.storyId).toBe(first.storyId);
    expect(other.storyId).not.toBe(first.storyId);

    expect(await store.mergeStories(first.storyId!, other.storyId!)).toBe(true);
    expect((await store.getDocument(testId('s3')))?.storyId).toBe(first.storyId);
    expect(await store.mergeStories(first.storyId!, other.storyId!)).toBe(false);

    // An editor detaches the second report again: it leads a story of its own, counts follow.
    const detached = await store.detachFromStory(testId('s2'));
    expect(detached).toMatch(/^[0-9a-f]{32}$/);
    expect((await store.getDocument(testId('s2')))?.storyId).toBe(detached);
    const moved = await getStory(db!, detached!);
    expect(moved).toMatchObject({
      headline: 'Flights grounded as Icelandic volcano erupts',
      documentCount: 1,
    });
    expect(moved?.sources).toEqual(['other.example']);
    const left = await getStory(db!, first.storyId!);
    expect(left?.documentCount).toBe(2);
    expect(left?.timeline.map((member) => member.id)).not.toContain(testId('s2'));
    // Its story's only original cannot be detached from itself.
    expect(await store.detachFromStory(testId('s2'))).toBeNull();
  });
});

describe('DocumentStore with concurrent indexers on postgres', () => {
  it('agrees on one original and one story when copies are indexed at once', async () => {
    const db = await freshDatabase('postgres');
    try {
      // Separate stores over one pool behave like separate indexer processes: separate connections.
      const stores = Array.from({ length: 4 }, () => new DocumentStore(db));
      const text =
        'Rescue teams searched the collapsed building through the night for survivors, officials said. ';
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          stores[index % 4]!.indexDocument(
            extractedDocument({
              id: testId(`c${index}`),
              url: `https://site${index}.example/story`,
              source: `site${index}.example`,
              title: `Rescuers search collapsed building for survivors ${index}`,
              text: text.repeat(2) + ` Edition ${index}.`,
              fingerprints: { simhash: '00000000ffffffff', minhash: minhash(5) },
            }),
          ),
        ),
      );
      const originals = outcomes.filter((outcome) => outcome.action === 'inserted');
      expect(originals).toHaveLength(1);
      expect(new Set(outcomes.map((outcome) => outcome.duplicateOf ?? outcome.id))).toEqual(
        new Set([originals[0]!.id]),
      );
      expect(new Set(outcomes.map((outcome) => outcome.storyId)).size).toBe(1);
    } finally {
      await db.close();
    }
  });
});
