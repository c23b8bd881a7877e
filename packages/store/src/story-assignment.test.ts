import { storyLookupTerms, storyWeekKeys, weekOf } from '@sluice/stories';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { profileFromRow, STORY_COLUMNS, type StoryRow, touchStory } from './story-assignment';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const DAY = 86_400_000;
const shooting = extractedDocument({
  id: testId('t1'),
  url: 'https://kesterton.example/t1',
  title: 'Man shot dead outside Kesterton bar',
  text: 'Police said a man was shot dead outside a bar on Dune Street in Kesterton late on Friday.',
  source: 'kesterton.example',
  publishedAt: '2024-03-01T08:00:00Z',
  entities: [],
});

const storyRow = async (db: Database, id: string) =>
  (await db.query<StoryRow>(`SELECT ${STORY_COLUMNS}, lookup_keys FROM stories WHERE id = $1`, [id]))
    .rows[0] as StoryRow & { lookup_keys: string[] };

describe.each(BACKENDS)('a duplicate on its original story, on %s', { timeout: 120_000 }, (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('widens the span and refreshes the week-bound look-up keys, so the story is found in the new week', async () => {
    db = await freshDatabase(backend);
    const [outcome] = await new DocumentStore(db).indexDocuments([shooting]);
    const storyId = outcome!.storyId!;
    const before = await storyRow(db, storyId);
    const later = Date.parse('2024-03-01T08:00:00Z') + 21 * DAY;
    const laterWeek = `@${weekOf(later)}`;
    expect(before.lookup_keys.some((key) => key.endsWith(laterWeek))).toBe(false);

    await touchStory(db, storyId, 'state-wire.example', later);

    const after = await storyRow(db, storyId);
    const profile = profileFromRow(after);
    expect(profile.lastSeen).toBe(later);
    expect(profile.sourceCounts.get('state-wire.example')).toBe(0);
    expect(profile.documentCount).toBe(1);
    expect(after.lookup_keys.some((key) => key.endsWith(laterWeek))).toBe(true);
    expect([...after.lookup_keys].sort()).toEqual(
      [...storyWeekKeys(profile, storyLookupTerms(profile))].sort(),
    );
  });
});
