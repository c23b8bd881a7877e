import { createHash } from 'node:crypto';
import type { Entity } from '@sluice/contracts';
import {
  addToProfile,
  chooseHeadline,
  chooseStory,
  DEFAULT_STORY_MODEL,
  type DocumentFeatures,
  emptyFieldVectors,
  fieldTermCounts,
  frequencyKeys,
  mergeCandidate,
  mergeModelOf,
  type StoryModel,
  type StoryProfile,
  splitArticle,
  storyAsDocument,
} from '@sluice/stories';
import type { Queryable } from './database';
import {
  candidateStories,
  featuresOf,
  mergeStoriesIn,
  nameFrequencies,
  profileFromRow,
  STORY_COLUMNS,
  type StoryInput,
  type StoryRow,
  saveStory,
  storedTermFrequencies,
} from './story-assignment';

export interface RepairOptions {
  /** Stories updated within this many hours are re-examined. */
  sinceHours: number;
  maxStories: number;
  /**
   * Join probability above which two stories are one; by default the model's own (fit on the
   * fit split). Stricter than joining: merges are for sure cases.
   */
  mergeProbability?: number;
  /** Join probability under which a member no longer fits the rest of its story. */
  detachProbability: number;
  /** Members examined per story (the story's first ones). */
  maxMembers: number;
  model: StoryModel;
}

export const DEFAULT_REPAIR_OPTIONS: RepairOptions = {
  sinceHours: 72,
  maxStories: 500,
  detachProbability: 0.1,
  maxMembers: 60,
  model: DEFAULT_STORY_MODEL,
};

export interface RepairReport {
  examined: number;
  merged: { into: string; from: string; probability: number }[];
  detached: { storyId: string; documentId: string; newStoryId: string; probability: number }[];
}

interface Member {
  input: StoryInput;
  features: DocumentFeatures;
}

/** The repair pass's settings: the defaults with the caller's overrides. */
export const repairSettings = (options: Partial<RepairOptions> = {}): RepairOptions => ({
  ...DEFAULT_REPAIR_OPTIONS,
  ...options,
});

/**
 * The stories a repair pass re-examines: open ones updated within `sinceHours`, the most
 * recently updated first. A plain read: the pass then works through them a few at a time.
 */
export async function storiesToRepair(db: Queryable, settings: RepairOptions): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM stories
     WHERE merged_into IS NULL AND updated_at >= now() - make_interval(hours => $1) AND document_count > 0
     ORDER BY updated_at DESC, id LIMIT $2`,
    [settings.sinceHours, settings.maxStories],
  );
  return rows.map((row) => row.id);
}

/**
 * The repair pass's first half for some stories: rebuilds each from its members with today's
 * document frequencies, detaches members that no longer fit the rest, and re-picks the headline.
 * Every change is written to `story_history`. Run under the index lock; stories merged away since
 * they were listed are skipped.
 */
export async function rebuildStoriesIn(
  tx: Queryable,
  storyIds: readonly string[],
  settings: RepairOptions,
  report: RepairReport,
): Promise<void> {
  const { model } = settings;
  const { rows: stories } = await tx.query<StoryRow>(
    `SELECT ${STORY_COLUMNS} FROM stories WHERE id = ANY($1::text[]) AND merged_into IS NULL AND document_count > 0`,
    [storyIds],
  );
  const members = await membersOf(
    tx,
    stories.map((story) => story.id),
    settings.maxMembers,
  );
  const prominence = await sourceProminence(tx, [...members.values()].flat());

  for (const story of stories) {
    const list = members.get(story.id) ?? [];
    if (list.length === 0) continue;
    let kept = list;
    if (list.length >= 2) {
      kept = [];
      let detached = 0;
      // Latest first: when two members disagree, the later one leaves and the story keeps its founder.
      for (const member of [...list].reverse()) {
        const others = list.filter((other) => other !== member);
        const choice = chooseStory(member.features, [{ id: story.id, profile: profileFrom(others) }], model);
        if (choice.best && choice.probability < settings.detachProbability && detached < list.length - 1) {
          detached += 1;
          const newStoryId = await detach(tx, story.id, member, choice.probability);
          report.detached.push({
            storyId: story.id,
            documentId: member.input.documentId,
            newStoryId,
            probability: choice.probability,
          });
        } else kept.unshift(member);
      }
    }
    const profile = profileFrom(kept);
    const headline = chooseHeadline(
      kept.map((member) => ({
        documentId: member.input.documentId,
        title: member.input.title,
        vector: member.features.vectors['title.s'],
        source: member.input.source,
      })),
      profile,
      (source) => (source ? (prominence.get(source) ?? 0) : 0),
    );
    // Members past `maxMembers` are not re-read: keep the stored profile for big stories.
    await saveStory(
      tx,
      story.id,
      list.length < settings.maxMembers ? profile : profileFromRow(story),
      headline,
    );
  }
}

/**
 * The repair pass's second half for some stories: merges each into a story it has converged
 * with (the bigger survives; merged stories point to their survivor). `merged` carries the
 * stories merged away earlier in the pass. Run under the index lock.
 */
export async function mergeConvergedStoriesIn(
  tx: Queryable,
  storyIds: readonly string[],
  settings: RepairOptions,
  merged: Set<string>,
  report: RepairReport,
): Promise<void> {
  const { model } = settings;
  for (const storyId of storyIds) {
    if (merged.has(storyId)) continue;
    const { rows } = await tx.query<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories WHERE id = $1`, [
      storyId,
    ]);
    const current = rows[0];
    if (!current || current.merged_into) continue;
    const profile = profileFromRow(current);
    const candidates = (
      await candidateStories(tx, storyAsDocument(profile), mergeModelOf(model), current.id)
    ).filter((row) => !merged.has(row.id));
    const choice = mergeCandidate(
      profile,
      candidates.map((row) => ({ id: row.id, row, profile: profileFromRow(row) })),
      model,
      settings.mergeProbability,
      await nameFrequencies(tx, profile),
    );
    if (!choice.merge || !choice.best) continue;
    // The bigger story survives (the older on a tie), so more users' ids stay first-hand.
    const other = choice.best.row;
    const keepCurrent =
      current.document_count > other.document_count ||
      (current.document_count === other.document_count && current.first_seen_at <= other.first_seen_at);
    const [into, from] = keepCurrent ? [current.id, other.id] : [other.id, current.id];
    if (await mergeStoriesIn(tx, into, from, choice.probability)) {
      merged.add(from);
      report.merged.push({ into, from, probability: choice.probability });
    }
  }
}

/**
 * Rebuilds the profile and headline of stories whose members changed (retention removed some),
 * from their members under today's document frequencies, so later documents are not joined on
 * the strength of removed ones. A story with `maxMembers` originals or more keeps its stored
 * profile, as in the repair pass: the removed share fades as the story grows. Run under the index lock.
 */
export async function rebuildStoryProfiles(
  tx: Queryable,
  storyIds: readonly string[],
  maxMembers = DEFAULT_REPAIR_OPTIONS.maxMembers,
): Promise<void> {
  if (storyIds.length === 0) return;
  const members = await membersOf(tx, [...storyIds], maxMembers);
  const prominence = await sourceProminence(tx, [...members.values()].flat());
  for (const [storyId, list] of members) {
    if (list.length === 0 || list.length >= maxMembers) continue;
    const profile = profileFrom(list);
    const headline = chooseHeadline(
      list.map((member) => ({
        documentId: member.input.documentId,
        title: member.input.title,
        vector: member.features.vectors['title.s'],
        source: member.input.source,
      })),
      profile,
      (source) => (source ? (prominence.get(source) ?? 0) : 0),
    );
    await saveStory(tx, storyId, profile, headline);
  }
}

function profileFrom(members: readonly Member[]): StoryProfile {
  let profile: StoryProfile | null = null;
  for (const member of members)
    profile = profile
      ? addToProfile(profile, member.features)
      : addToProfile(emptyProfileAt(member.features.time), member.features);
  return profile ?? emptyProfileAt(0);
}

const emptyProfileAt = (time: number): StoryProfile => ({
  centroids: emptyFieldVectors(),
  entityCounts: new Map(),
  documentCount: 0,
  sourceCounts: new Map(),
  firstSeen: time,
  lastSeen: time,
  meanTime: time,
  recentTitles: [],
});

/** Moves a member out to a story of its own and records it on both stories. */
async function detach(tx: Queryable, storyId: string, member: Member, probability: number): Promise<string> {
  const documentId = member.input.documentId;
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM stories WHERE id = $1', [documentId]);
  // A story is named after its first document; if this one founded the story, the new one needs another id.
  const newStoryId =
    rows.length === 0
      ? documentId
      : createHash('sha256')
          .update(`detached:${storyId}:${documentId}:${Date.now()}`)
          .digest('hex')
          .slice(0, 32);
  await tx.query(
    `INSERT INTO stories (id, headline, headline_document_id, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $4)`,
    [newStoryId, member.input.title || null, documentId, new Date(member.features.time).toISOString()],
  );
  await saveStory(tx, newStoryId, addToProfile(emptyProfileAt(member.features.time), member.features), {
    documentId,
    title: member.input.title,
    vector: member.features.vectors['title.s'],
    source: member.input.source,
  });
  // Its duplicates follow it.
  await tx.query(
    'UPDATE documents SET story_id = $1 WHERE (id = $2 OR duplicate_of = $2) AND story_id = $3',
    [newStoryId, documentId, storyId],
  );
  await tx.query(
    `INSERT INTO story_history (story_id, action, other_story_id, document_id, probability)
     VALUES ($1, 'detached', $2, $3, $4), ($2, 'split-from', $1, $3, $4)`,
    [storyId, newStoryId, documentId, probability],
  );
  return newStoryId;
}

/** The stories' first members (not duplicates), with features under the current document frequencies. */
async function membersOf(
  tx: Queryable,
  storyIds: string[],
  maxMembers: number,
): Promise<Map<string, Member[]>> {
  const { rows } = await tx.query<{
    id: string;
    story_id: string;
    title: string | null;
    text: string;
    description: string | null;
    entities: Entity[] | string;
    source: string | null;
    event_at: Date | string;
  }>(
    `SELECT m.id, m.story_id, m.title, m.text, m.description, m.entities, m.source, m.event_at
     FROM unnest($1::text[]) AS s(id)
     CROSS JOIN LATERAL (
       SELECT id, story_id, title, text, description, entities, source, event_at FROM documents
       WHERE story_id = s.id AND duplicate_of IS NULL ORDER BY event_at, id LIMIT $2) m`,
    [storyIds, maxMembers],
  );
  const inputs = rows.map((row) => {
    const { lead, body } = splitArticle(row.text, row.description);
    return {
      storyId: row.story_id,
      input: {
        documentId: row.id,
        title: row.title ?? '',
        lead,
        body,
        entities: typeof row.entities === 'string' ? JSON.parse(row.entities) : row.entities,
        time: new Date(row.event_at).getTime(),
        source: row.source,
      } satisfies StoryInput,
    };
  });
  const keys = [...new Set(inputs.flatMap(({ input }) => frequencyKeys(fieldTermCounts(input))))];
  const { documentCount, known } = await storedTermFrequencies(tx, keys);
  const frequencies = {
    documentCount: documentCount ?? 1,
    frequency: (term: string) => known.get(term) ?? 1,
  };
  const members = new Map<string, Member[]>();
  for (const { storyId, input } of inputs) {
    const list = members.get(storyId) ?? [];
    list.push({ input, features: featuresOf(input, frequencies) });
    members.set(storyId, list);
  }
  return members;
}

/** 0..1 per source: how much it publishes in the index, on a log scale against the most prolific. */
async function sourceProminence(tx: Queryable, members: readonly Member[]): Promise<Map<string, number>> {
  const sources = [
    ...new Set(members.flatMap((member) => (member.input.source ? [member.input.source] : []))),
  ];
  if (sources.length === 0) return new Map();
  const { rows } = await tx.query<{ source: string; documents: number | string }>(
    `SELECT source, count(*) AS documents FROM documents WHERE source = ANY($1::text[]) GROUP BY source`,
    [sources],
  );
  const most = Math.max(1, ...rows.map((row) => Number(row.documents)));
  return new Map(rows.map((row) => [row.source, Math.log1p(Number(row.documents)) / Math.log1p(most)]));
}
