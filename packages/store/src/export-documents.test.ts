import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database, Queryable } from './database';
import { DocumentStore } from './document-store';
import { exportDocuments, getExportedDocument } from './export-documents';
import { exportStories } from './export-stories';
import { parseSince } from './export-watermark';
import { SearchParamError } from './search-documents';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

// Opening PGlite alone takes most of the default 30 s on a loaded machine.
vi.setConfig({ testTimeout: 90_000 });

const collect = async (lines: AsyncIterable<string>) => {
  // biome-ignore lint/suspicious/noExplicitAny: the lines are JSON the test reads freely
  const out: Record<string, any>[] = [];
  for await (const line of lines) out.push(JSON.parse(line));
  return out;
};

describe.each(BACKENDS)('export on %s', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });
  const open = async () => {
    db = await freshDatabase(backend);
    return new DocumentStore(db);
  };

  it('streams every document with text, metadata, entities, story and duplicates, filtered like search', async () => {
    const store = await open();
    const senate = { type: 'organization' as const, name: 'Senate', aliases: [], mentions: 2 };
    const body =
      'The senate passed the harbour budget bill late on Thursday after a long debate on dredging.';
    await store.indexDocuments([
      extractedDocument({ id: testId('a'), title: 'Senate passes budget', text: body, entities: [senate] }),
      extractedDocument({
        id: testId('b'),
        title: 'Budget passes senate',
        text: body,
        source: 'other.example',
        url: 'https://other.example/b',
      }),
      extractedDocument({
        id: testId('c'),
        title: 'Storm floods towns',
        text: 'Rain flooded towns.',
        lang: 'de',
      }),
    ]);
    const all = await collect((await exportDocuments(db!, { includeDuplicates: true })).lines);
    expect(all.map((doc) => doc.id).sort()).toEqual([testId('a'), testId('b'), testId('c')].sort());
    const a = all.find((doc) => doc.id === testId('a'))!;
    expect(all.find((doc) => doc.id === testId('b'))!.duplicateOf).toBe(testId('a'));
    expect(a.duplicates).toEqual([testId('b')]);
    const originals = await collect((await exportDocuments(db!, {})).lines);
    expect(originals.map((doc) => doc.id).sort()).toEqual([testId('a'), testId('c')].sort());
    expect(a.text).toBe(body);
    expect(a.title).toBe('Senate passes budget');
    expect(a.entities[0].name).toBe('Senate');
    expect(a.story?.id).toBeTruthy();
    expect(a.publishedAt).toBe('2024-05-01T10:00:00.000Z');
    expect(a.changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const only = async (params: Parameters<typeof exportDocuments>[1]) =>
      (await collect((await exportDocuments(db!, params)).lines)).map((doc) => doc.id);
    expect(await only({ q: 'dredging' })).toEqual([testId('a')]);
    expect(await only({ q: 'dredging -budget' })).toEqual([]);
    expect(await only({ lang: 'de' })).toEqual([testId('c')]);
    // An original carries its exact duplicates' sources, as in search.
    expect((await only({ source: 'other.example', includeDuplicates: true })).sort()).toEqual(
      [testId('a'), testId('b')].sort(),
    );
    expect(await only({ story: a.story.id })).toEqual([testId('a')]);
    const entityId = (await db!.query<{ id: string }>(`SELECT id::text FROM entities WHERE name = 'Senate'`))
      .rows[0]!.id;
    expect(await only({ entity: entityId })).toEqual([testId('a')]);
    expect(await only({ to: '2024-01-01' })).toEqual([]);
    await expect(exportDocuments(db!, { lang: 'klingon!' })).rejects.toBeInstanceOf(SearchParamError);
    await expect(exportDocuments(db!, { since: 'wm.garbage' })).rejects.toBeInstanceOf(SearchParamError);
    expect((await getExportedDocument(db!, testId('c')))?.title).toBe('Storm floods towns');
  });

  it('hides near duplicates unless asked, and lists them on their original', async () => {
    const store = await open();
    const minhash = Array.from({ length: 128 }, (_, index) => (index * 104729) >>> 0);
    const fingerprints = { minhash, simhash: '0f0f0f0f0f0f0f0f' };
    await store.indexDocuments([
      extractedDocument({ id: testId('orig'), text: 'Original wording of the report.', fingerprints }),
    ]);
    await store.indexDocuments([
      extractedDocument({
        id: testId('near'),
        text: 'Original wording of the report, lightly edited.',
        fingerprints,
        publishedAt: '2024-05-01T10:05:00Z',
      }),
    ]);
    const near = (await store.getDocument(testId('near')))!;
    if (!near.duplicateOf) {
      console.log('skipped: these fingerprints did not make a near duplicate on this build');
      return;
    }
    const hidden = await collect((await exportDocuments(db!, {})).lines);
    expect(hidden.map((doc) => doc.id)).toEqual([testId('orig')]);
    expect(hidden[0]!.duplicates).toEqual([testId('near')]);
    const shown = await collect((await exportDocuments(db!, { includeDuplicates: true })).lines);
    expect(shown.map((doc) => doc.id).sort()).toEqual([testId('near'), testId('orig')].sort());
  });

  it('reads in keyset batches, lazily, and resumes exactly after its watermark', async () => {
    const store = await open();
    const docs = Array.from({ length: 7 }, (_, n) =>
      extractedDocument({
        id: testId(`k${n}`),
        title: `Report ${n}`,
        text: `Distinct report number ${n} about item ${n * 13}.`,
      }),
    );
    await store.indexDocuments(docs.slice(0, 4));
    await store.indexDocuments(docs.slice(4));
    let statements = 0;
    const counting: Queryable = {
      query: (sql, params, options) => {
        statements += 1;
        return db!.query(sql, params, options);
      },
    };
    const first = await exportDocuments(counting, { batchSize: 2 });
    expect(statements).toBe(1); // the horizon only: nothing read before the reader asks
    const taken = await first.lines.next();
    expect(taken.done).toBe(false);
    expect(statements).toBe(2); // one batch for the first line
    const rest = await collect(first.lines);
    const ids = [JSON.parse(taken.value as string).id, ...rest.map((doc) => doc.id)];
    expect(ids.sort()).toEqual(docs.map((doc) => doc.id).sort());
    expect(statements).toBe(5); // 2 + 2 + 2 + 1

    // Nothing changed: the next pull is empty. Then a new document and an update arrive.
    expect(await collect((await exportDocuments(db!, { since: first.nextSince })).lines)).toEqual([]);
    await store.indexDocuments([
      extractedDocument({ id: testId('new'), title: 'Fresh', text: 'A fresh report about something new.' }),
      { ...docs[2]!, text: 'Distinct report number 2, corrected.' },
    ]);
    const second = await exportDocuments(db!, { since: first.nextSince });
    const changed = await collect(second.lines);
    expect(changed.map((doc) => doc.id).sort()).toEqual([testId('k2'), testId('new')].sort());
    expect(changed.find((doc) => doc.id === testId('k2'))!.version).toBe(2);
    expect(parseSince(second.nextSince).changedAt >= parseSince(first.nextSince).changedAt).toBe(true);
    // A plain time works as `since` too.
    expect((await collect((await exportDocuments(db!, { since: '2999-01-01' })).lines)).length).toBe(0);
  });

  it('sees a story merge as a change of the moved documents and of both stories', async () => {
    const store = await open();
    await store.indexDocuments([
      extractedDocument({ id: testId('s1'), title: 'Volcano erupts', text: 'The volcano erupted at dawn.' }),
      extractedDocument({ id: testId('s2'), title: 'Stock market rally', text: 'Shares rose sharply.' }),
    ]);
    const before = await exportDocuments(db!, {});
    const docs = await collect(before.lines);
    const storyOf = (id: string) => docs.find((doc) => doc.id === id)!.story.id as string;
    expect(storyOf(testId('s1'))).not.toBe(storyOf(testId('s2')));
    const storiesBefore = await exportStories(db!, {});
    expect((await collect(storiesBefore.lines)).length).toBe(2);
    expect(await store.mergeStories(storyOf(testId('s1')), storyOf(testId('s2')))).toBe(true);
    const moved = await collect((await exportDocuments(db!, { since: before.nextSince })).lines);
    expect(moved.map((doc) => doc.id)).toEqual([testId('s2')]);
    expect(moved[0]!.story.id).toBe(storyOf(testId('s1')));
    const stories = await collect((await exportStories(db!, { since: storiesBefore.nextSince })).lines);
    const merged = stories.find((story) => story.id === storyOf(testId('s2')));
    expect(merged?.mergedInto).toBe(storyOf(testId('s1')));
    const into = stories.find((story) => story.id === storyOf(testId('s1')));
    expect(into?.documents.sort()).toEqual([testId('s1'), testId('s2')].sort());
  });

  if (backend !== 'postgres') {
    console.info(
      'skipping "stops before a transaction still open" on pglite: it has one connection, so no transaction can stay open beside the export',
    );
  }
  it.runIf(backend === 'postgres')(
    'stops before a transaction still open, and picks its rows up next time',
    async () => {
      const store = await open();
      await store.indexDocuments([
        extractedDocument({ id: testId('slow'), title: 'Before', text: 'Some text here.' }),
      ]);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => {
        written = resolve;
      });
      const writer = db!.transaction(async (tx) => {
        await tx.query(`UPDATE documents SET title = 'After' WHERE id = $1`, [testId('slow')]);
        written();
        await held;
      });
      await wrote;
      let nextSince: string;
      try {
        // Something indexed after the open transaction began, and committed at once.
        await store.indexDocuments([
          extractedDocument({ id: testId('quick'), title: 'Quick', text: 'Quick text.' }),
        ]);
        const during = await exportDocuments(db!, {});
        nextSince = during.nextSince;
        const seen = await collect(during.lines);
        // The committed version before the open transaction; the quick row is newer than that
        // transaction's start, so it waits for the next pull too.
        expect(seen.map((doc) => `${doc.id}:${doc.title}`)).toEqual([`${testId('slow')}:Before`]);
      } finally {
        release();
        await writer;
      }
      const after = await collect((await exportDocuments(db!, { since: nextSince })).lines);
      expect(after.map((doc) => `${doc.id}:${doc.title}`).sort()).toEqual(
        [`${testId('quick')}:Quick`, `${testId('slow')}:After`].sort(),
      );
    },
  );
});
