import { DEFAULT_STORY_MODEL, type StoryModel } from '@sluice/stories';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { getStory } from './story-queries';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

const article = (label: string, title: string, text: string, at: string, source: string) =>
  extractedDocument({
    id: testId(label),
    url: `https://${source}/${label}`,
    title,
    text,
    source,
    publishedAt: at,
    entities: [],
  });

const harbour = [
  article(
    'h1',
    'Fire destroys warehouse at Valmora harbour',
    'A fire destroyed a grain warehouse at Valmora harbour on Monday night. Firefighters from Port Calder fought the blaze for six hours; no one was hurt.',
    '2024-05-01T08:00:00Z',
    'valmora.example',
  ),
  article(
    'h2',
    'Valmora harbour warehouse fire: firefighters fought blaze for six hours',
    'Firefighters fought the Valmora harbour warehouse fire for six hours. The grain warehouse was destroyed and the harbour master closed two berths.',
    '2024-05-01T12:00:00Z',
    'calder.example',
  ),
];
const election = article(
  'e1',
  'Valmora council elects new mayor after tied vote',
  'The Valmora town council elected Mara Velt as mayor on Tuesday after a tied first round, ending a month without a mayor.',
  '2024-05-01T10:00:00Z',
  'orlen.example',
);

// The shooting and, 40 days later from another outlet, the trial: past the week's join window,
// sharing no source, only the victim's full name.
const person = (name: string) => ({ type: 'person' as const, name, aliases: [], mentions: 2 });
const followUp = [
  {
    ...article(
      'v1',
      'Man shot dead outside Kesterton bar',
      'Police said Jalen Okafor, 24, was shot dead outside a bar on Dune Street in Kesterton late on Friday. No arrest has been made.',
      '2024-03-01T08:00:00Z',
      'kesterton.example',
    ),
    entities: [person('Jalen Okafor')],
  },
  {
    ...article(
      'v2',
      'Trial opens in killing of Jalen Okafor',
      'The trial of the man charged with killing Jalen Okafor outside a Kesterton bar opened on Monday, prosecutors said.',
      '2024-04-10T08:00:00Z',
      'state-wire.example',
    ),
    entities: [person('Jalen Okafor')],
  },
];
const withoutShare = (): StoryModel => {
  const { mergeRareNameShare: _share, ...rest } = DEFAULT_STORY_MODEL;
  return rest;
};

// Generous: PGlite migrates and indexes in-process, which takes 30-40 s on a loaded 2-core machine.
describe.each(BACKENDS)('story repair on %s', { timeout: 120_000 }, (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('merges stories, records it on both, and the old id resolves to the survivor', async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    const [first, second] = await store.indexDocuments(harbour);
    expect(second!.storyId).toBe(first!.storyId);
    const [other] = await store.indexDocuments([election]);
    expect(other!.storyId).not.toBe(first!.storyId);

    // With the bar at zero every recent story merges with its best candidate: the mechanics, not the model.
    const report = await store.repairStories({ mergeProbability: 0, detachProbability: 0 });
    expect(report.merged).toHaveLength(1);
    const { into, from } = report.merged[0]!;
    expect(into).toBe(first!.storyId); // the bigger story survives
    const resolved = await getStory(db, from);
    expect(resolved?.id).toBe(into);
    expect(resolved?.resolvedFrom).toBe(from);
    expect(resolved?.timeline.map((member) => member.id).sort()).toEqual(
      [testId('h1'), testId('h2'), testId('e1')].sort(),
    );
    expect(resolved?.history.map((entry) => [entry.action, entry.otherStoryId])).toEqual(
      expect.arrayContaining([
        ['absorbed', from],
        ['merged-into', into],
      ]),
    );
  });

  it('detaches a member that does not fit, into a story of its own, and records it', async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    const outcomes = await store.indexDocuments(harbour);
    const storyId = outcomes[0]!.storyId!;
    // With the bar at one no member fits: the latest leaves, the founder keeps the story.
    const report = await store.repairStories({ mergeProbability: 2, detachProbability: 1 });
    expect(report.detached).toEqual([
      expect.objectContaining({ storyId, documentId: testId('h2'), newStoryId: testId('h2') }),
    ]);
    const kept = await getStory(db, storyId);
    expect(kept?.timeline.map((member) => member.id)).toEqual([testId('h1')]);
    expect(kept?.history).toEqual([
      expect.objectContaining({ action: 'detached', otherStoryId: testId('h2'), documentId: testId('h2') }),
    ]);
    const split = await getStory(db, testId('h2'));
    expect(split?.timeline.map((member) => member.id)).toEqual([testId('h2')]);
    expect(split?.headline).toBe(harbour[1]!.title);
    expect((await store.getDocument(testId('h2')))?.storyId).toBe(testId('h2'));
  });

  it('merges stories past the join window on a shared name the index counts as rare, and not without the share', async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    const [shooting, trial] = await store.indexDocuments(followUp);
    expect(trial!.storyId).not.toBe(shooting!.storyId);
    // The bar at zero: whether the two may merge at all is what is tested, not the model's probability.
    const refused = await store.repairStories({
      mergeProbability: 0,
      detachProbability: 0,
      model: withoutShare(),
    });
    expect(refused.merged).toEqual([]);
    // A share of one: any full name the index counted is rare, so the store's word counts are read.
    const model = { ...withoutShare(), mergeRareNameShare: 1 };
    const report = await store.repairStories({ mergeProbability: 0, detachProbability: 0, model });
    expect(report.merged).toEqual([
      expect.objectContaining({ into: shooting!.storyId, from: trial!.storyId }),
    ]);
  });

  if (backend !== 'postgres') {
    console.info(
      'skipping "holds the index lock a few stories at a time" on pglite: its one connection runs one statement at a time, so nothing can watch the lock while the pass holds it',
    );
  }
  it.runIf(backend === 'postgres')(
    'holds the index lock a few stories at a time, so indexing goes on during a pass',
    async () => {
      db = await freshDatabase(backend);
      const store = new DocumentStore(db);
      // 60 unrelated one-document stories (no word in common): three transactions' worth.
      const syllables = ['ka', 'lo', 'mer', 'tin', 'sa', 'vel', 'dor', 'ri'];
      const word = (n: number, k: number) =>
        `${syllables[n % 8]}${syllables[Math.floor(n / 8) % 8]}${syllables[k]}n`;
      const separate = Array.from({ length: 60 }, (_, n) => {
        const words = Array.from({ length: 8 }, (_, k) => word(n, k));
        const title = words.slice(0, 4).join(' ');
        return article(
          `s${n}`,
          title,
          `${words.join(' ')}. ${words.reverse().join(' ')}.`,
          '2024-05-02T08:00:00Z',
          `s${n}.example`,
        );
      });
      await store.indexDocuments(separate);
      // Watch the index lock from the side: which transactions hold it while the pass runs.
      const holders = new Set<string>();
      let running = true;
      const watching = (async () => {
        while (running) {
          const { rows } = await db!.query<{ holder: string }>(
            "SELECT virtualtransaction AS holder FROM pg_locks WHERE locktype = 'advisory' AND granted",
          );
          for (const row of rows) holders.add(row.holder);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const report = await store.repairStories({ mergeProbability: 2, detachProbability: 0 });
      running = false;
      await watching;
      expect(report.examined).toBe(60);
      // Three rebuild and three merge transactions of 20 stories; one long one would show as one.
      expect(holders.size).toBeGreaterThanOrEqual(3);
    },
  );
});
