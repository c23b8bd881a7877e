import type { DocumentFrequencies } from './document-frequencies';
import type { EntityKeys } from './story-entities';
import type { DocumentFeatures } from './story-features';
import { emptyFieldVectors, VECTOR_FIELDS } from './story-fields';
import { chooseStory, DEFAULT_STORY_MODEL, modelFor, type StoryChoice, type StoryModel } from './story-model';
import type { StoryProfile } from './story-profile';
import { contentWords } from './terms';

/**
 * Join probability above which the repair pass merges two stories, when the model file names
 * none. Stricter than joining: a merge is for sure cases, and users may hold both ids.
 */
export const DEFAULT_MERGE_PROBABILITY = 0.9;

/** The merge probability of the model that decides for this story (headline stories have their own). */
export const mergeProbabilityFor = (story: DocumentFeatures, model: StoryModel): number =>
  modelFor(story, model).mergeProbability ?? DEFAULT_MERGE_PROBABILITY;

/** The model as the repair pass's merges use it: candidates from its merge window. */
export function mergeModelOf(model: StoryModel): StoryModel {
  const widened = (part: StoryModel): StoryModel => ({
    ...part,
    windowHours: part.mergeWindowHours ?? part.windowHours,
  });
  return model.headlines ? { ...widened(model), headlines: widened(model.headlines) } : widened(model);
}

/**
 * Whether two stories may merge at all: within the join window any may; past it (a follow-up
 * weeks later) only when they share a source, as an outlet following up its own report does, or
 * when both name the same rare person in full and one of them has the name in its titles (a
 * victim's or a suspect's name: the arrest or the trial weeks after the shooting), with `names`
 * the index's own document frequencies. The title keeps apart two events of one thread that
 * quote the same officials: a story is about the person its headlines name.
 */
export function mayMerge(
  a: StoryProfile,
  b: StoryProfile,
  model: StoryModel,
  names: DocumentFrequencies | null = null,
): boolean {
  const gap = Math.max(0, a.firstSeen - b.lastSeen, b.firstSeen - a.lastSeen);
  const part = modelFor(storyAsDocument(a), model);
  if (gap <= part.windowHours * 3_600_000) return true;
  for (const [source, count] of a.sourceCounts)
    if (count > 0 && (b.sourceCounts.get(source) ?? 0) > 0) return true;
  const share = part.mergeRareNameShare;
  if (share === undefined || names === null) return false;
  return sharedFullNames(a, b).some(
    (key) => isRareName(key, names, share) && (inTitles(key, a) || inTitles(key, b)),
  );
}

/** Person keys both stories name in full (two words or more): one person, not a surname strangers share. */
export function sharedFullNames(a: StoryProfile, b: StoryProfile): string[] {
  return fullNames(a).filter((key) => b.entityCounts.has(key));
}

/** Whether a word of the person key is among the story's title words. */
export const inTitles = (key: string, profile: StoryProfile): boolean =>
  nameWords(key).some((word) => profile.centroids['title.w'].has(word));

/** The story's person keys that are full names (two words or more). */
export const fullNames = (profile: StoryProfile): string[] =>
  [...profile.entityCounts.keys()].filter((key) => key.startsWith('person:') && key.includes(' '));

/** The words of a person key, as the document frequencies count them (`w:word`). */
export const nameWords = (key: string): string[] => contentWords(key.slice(key.indexOf(':') + 1));

/**
 * Whether a full name is rare in the index: its rarest word is in at most `share` of the
 * documents. The counts are the index's own, never the background prior: a name is rare only once
 * the index has seen enough documents to say so (officials of a thread recur; a victim's name does
 * not), and a word the index never counted says nothing.
 */
export function isRareName(key: string, names: DocumentFrequencies, share: number): boolean {
  if (names.documentCount <= 0) return false;
  const counts = nameWords(key)
    .map((word) => names.frequency(`w:${word}`))
    .filter((count) => count > 0);
  return counts.length > 0 && Math.min(...counts) <= share * names.documentCount;
}

/** A story seen as one document (unit centroids, its entities, its mean time), to compare with others. */
export function storyAsDocument(profile: StoryProfile): DocumentFeatures {
  const vectors = emptyFieldVectors();
  for (const field of VECTOR_FIELDS) {
    const centroid = profile.centroids[field];
    const norm = Math.sqrt([...centroid.values()].reduce((sum, weight) => sum + weight * weight, 0)) || 1;
    vectors[field] = new Map([...centroid].map(([term, weight]) => [term, weight / norm]));
  }
  const entities: EntityKeys[] = [...profile.entityCounts.keys()].map((key) => ({
    type: key.slice(0, key.indexOf(':')),
    keys: [key],
  }));
  return { vectors, entities, time: profile.meanTime, source: null };
}

/**
 * The story that `profile` has converged with, if the model is sure enough: the repair pass's
 * merge decision, the same in the indexer's store and in the in-memory clusterer.
 */
export function mergeCandidate<T extends { id: string; profile: StoryProfile }>(
  profile: StoryProfile,
  candidates: Iterable<T>,
  model: StoryModel = DEFAULT_STORY_MODEL,
  /** Overrides the model's merge probability. */
  mergeProbability: number = mergeProbabilityFor(storyAsDocument(profile), model),
  /** The index's own document frequencies of the words of the story's full names (`mayMerge`). */
  names: DocumentFrequencies | null = null,
): StoryChoice<T> & { merge: boolean } {
  const allowed = [...candidates].filter((candidate) => mayMerge(profile, candidate.profile, model, names));
  const choice = chooseStory(storyAsDocument(profile), allowed, mergeModelOf(model));
  return { ...choice, merge: choice.best !== null && choice.probability >= mergeProbability };
}

/** Which of two merging stories survives: the bigger (the older on a tie), so more users' ids stay first-hand. */
export function survivorOf<T extends { id: string; profile: StoryProfile }>(a: T, b: T): [into: T, from: T] {
  const keepA =
    a.profile.documentCount > b.profile.documentCount ||
    (a.profile.documentCount === b.profile.documentCount &&
      (a.profile.firstSeen < b.profile.firstSeen ||
        (a.profile.firstSeen === b.profile.firstSeen && a.id < b.id)));
  return keepA ? [a, b] : [b, a];
}
