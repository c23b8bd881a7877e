import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { getStory, listStories } from './story-queries';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const text =
  'The plan to build an Islamic community centre two blocks from Ground Zero divided New York this week.';

describe.each(BACKENDS)('story span on %s', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  /** Three reports of one story, one of them undated and first seen years later. */
  async function storyWithUndatedMember() {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    const reports = [
      extractedDocument({ id: testId('a'), text, publishedAt: '2010-07-02T14:30:00Z' }),
      extractedDocument({
        id: testId('b'),
        text: `${text} Protests grew.`,
        publishedAt: '2010-07-03T09:00:00Z',
      }),
      extractedDocument({
        id: testId('c'),
        text: `${text} Relatives spoke.`,
        publishedAt: null,
        publishedAtSource: 'mentions-only',
        fetchedAt: '2026-11-30T08:00:00Z',
      }),
    ];
    await store.indexDocuments(reports);
    // Membership is the story model's business; here the three are put in one story by hand.
    const { rows } = await db.query<{ story_id: string }>('SELECT story_id FROM documents WHERE id = $1', [
      testId('a'),
    ]);
    const storyId = rows[0]!.story_id;
    await db.query('UPDATE documents SET story_id = $1', [storyId]);
    await db.query('DELETE FROM stories WHERE id <> $1', [storyId]);
    return storyId;
  }

  it('spans only the dated documents and places the undated one by when it was first seen', async () => {
    const storyId = await storyWithUndatedMember();
    const story = await getStory(db!, storyId);
    expect(story?.publishedSpan).toEqual({
      from: '2010-07-02T14:30:00.000Z',
      to: '2010-07-03T09:00:00.000Z',
    });
    expect(story?.undatedDocuments).toBe(1);
    expect(story?.timeline.map((item) => [item.id, item.at, item.dateKnown, item.atSource])).toEqual([
      [testId('a'), '2010-07-02T14:30:00.000Z', true, 'published'],
      [testId('b'), '2010-07-03T09:00:00.000Z', true, 'published'],
      [testId('c'), '2026-11-30T08:00:00.000Z', false, 'first-seen'],
    ]);
    const undated = story?.timeline.find((item) => !item.dateKnown);
    expect(undated?.publishedAt).toBeNull();

    const [listed] = await listStories(db!);
    expect(listed).toMatchObject({ id: storyId, publishedSpan: story?.publishedSpan, undatedDocuments: 1 });
  });

  it('has no published span when no member is dated', async () => {
    const storyId = await storyWithUndatedMember();
    await db!.query('UPDATE documents SET published_at = NULL');
    const story = await getStory(db!, storyId);
    expect(story?.publishedSpan).toBeNull();
    expect(story?.undatedDocuments).toBe(3);
    expect(story?.timeline.every((item) => item.atSource === 'first-seen')).toBe(true);
  });
});
