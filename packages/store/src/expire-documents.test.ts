import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { storyExpiredAt } from './expire-documents';
import { getStory } from './story-queries';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const article = (label: string, title: string, text: string, at: string, source: string, entity?: string) =>
  extractedDocument({
    id: testId(label),
    url: `https://${source}/${label}`,
    title,
    text,
    source,
    publishedAt: at,
    entities: entity ? [{ type: 'person', name: entity, aliases: [], mentions: 1 }] : [],
  });

const FIRE_TEXT =
  'A fire destroyed a grain warehouse at Valmora harbour on Monday night. Firefighters from Port Calder fought the blaze for six hours; no one was hurt.';
const oldFire = article(
  'h1',
  'Fire destroys warehouse at Valmora harbour',
  FIRE_TEXT,
  '2024-05-01T08:00:00Z',
  'valmora.example',
);
const newFire = article(
  'h2',
  'Valmora harbour warehouse fire: firefighters fought blaze for six hours',
  'Firefighters fought the Valmora harbour warehouse fire for six hours. The grain warehouse was destroyed and the harbour master closed two berths.',
  '2024-05-01T12:00:00Z',
  'calder.example',
);
const election = article(
  'e1',
  'Valmora council elects new mayor after tied vote',
  'The Valmora town council elected Mara Velt as mayor on Tuesday after a tied first round, ending a month without a mayor.',
  '2024-05-01T07:00:00Z',
  'orlen.example',
  'Mara Velt',
);
const ferry = article(
  'f1',
  'Ferry timetable changes for the summer season',
  'The ferry company publishes a new summer timetable with later sailings to the northern islands from June.',
  '2024-05-01T06:00:00Z',
  'orlen.example',
);
/** The same text as the old fire report under other addresses, indexed later: exact duplicates. */
const copy = (label: string, at: string, source: string) =>
  article(label, 'Fire destroys warehouse at Valmora harbour', FIRE_TEXT, at, source);

const CUTOFF = new Date('2024-05-01T10:00:00Z');

describe.each(BACKENDS)('retention on %s', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('removes old documents and keeps stories, duplicates and search consistent', async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    const [fire] = await store.indexDocuments([oldFire]);
    const [fireCopy] = await store.indexDocuments([copy('c1', '2024-05-01T11:00:00Z', 'copy-one.example')]);
    const [fireCopy2] = await store.indexDocuments([copy('c2', '2024-05-01T13:00:00Z', 'copy-two.example')]);
    expect(fireCopy!.duplicateOf).toBe(fire!.id);
    expect(fireCopy2!.duplicateOf).toBe(fire!.id);
    const [later] = await store.indexDocuments([newFire]);
    expect(later!.storyId).toBe(fire!.storyId);
    const [vote] = await store.indexDocuments([election]);
    const [boat] = await store.indexDocuments([ferry]);
    expect(boat!.storyId).not.toBe(vote!.storyId);
    // The ferry story is folded into the election story: both ids must go when its members do.
    expect(await store.mergeStories(vote!.storyId!, boat!.storyId!)).toBe(true);

    const archived: string[] = [];
    const report = await store.expireDocuments({
      before: CUTOFF,
      batchSize: 2,
      archive: async (lines) => {
        archived.push(...lines);
      },
    });

    expect(report).toMatchObject({ documents: 3, promoted: 1, storiesRemoved: 1, entitiesRemoved: 1 });
    expect(archived.map((line) => JSON.parse(line).id).sort()).toEqual([fire!.id, vote!.id, boat!.id].sort());
    expect(await store.getDocument(fire!.id)).toBeNull();
    // The earliest surviving copy is the original now; the other copy points to it.
    expect((await store.getDocument(fireCopy!.id))!.duplicateOf).toBeNull();
    expect((await store.getDocument(fireCopy2!.id))!.duplicateOf).toBe(fireCopy!.id);

    // The fire story kept its later members: recounted, re-spanned, a headline that still exists.
    const fireStory = await getStory(db, fire!.storyId!);
    expect(fireStory!.documentCount).toBe(2);
    expect(fireStory!.timeline.map((member) => member.id).sort()).toEqual(
      [fireCopy!.id, fireCopy2!.id, later!.id].sort(),
    );
    expect(fireStory!.firstSeenAt).toBe('2024-05-01T11:00:00.000Z');
    expect(fireStory!.sources).not.toContain('valmora.example');
    const { rows: headline } = await db.query<{ headline_document_id: string }>(
      'SELECT headline_document_id FROM stories WHERE id = $1',
      [fire!.storyId],
    );
    expect([fireCopy!.id, fireCopy2!.id, later!.id]).toContain(headline[0]!.headline_document_id);

    // The election story and the ferry story merged into it are gone, and remembered as expired.
    expect(await getStory(db, vote!.storyId!)).toBeNull();
    expect(await getStory(db, boat!.storyId!)).toBeNull();
    expect(await storyExpiredAt(db, vote!.storyId!)).not.toBeNull();
    expect(await storyExpiredAt(db, boat!.storyId!)).not.toBeNull();
    expect(await storyExpiredAt(db, fire!.storyId!)).toBeNull();

    // Search sees only what is left, and the removed-only entity is gone.
    const hits = await store.search({ q: 'grain warehouse', includeDuplicates: true });
    expect(hits.hits.map((hit) => hit.id)).not.toContain(fire!.id);
    expect(hits.hits.map((hit) => hit.id)).toContain(later!.id);
    expect((await store.search({ q: 'mayor' })).total).toBe(0);
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM entities WHERE name = 'Mara Velt'",
    );
    expect(rows[0]!.n).toBe(0);

    // A second pass finds nothing more to do.
    expect((await store.expireDocuments({ before: CUTOFF })).documents).toBe(0);
  });

  it('removes nothing when the archive cannot be written', async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    await store.indexDocuments([oldFire, election]);
    await expect(
      store.expireDocuments({
        before: CUTOFF,
        archive: async () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await store.countDocuments()).toBe(2);
  });
});
