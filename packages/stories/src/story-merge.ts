import type { EntityKeys } from './story-entities';
import type { DocumentFeatures } from './story-features';
import { emptyFieldVectors, VECTOR_FIELDS } from './story-fields';
import { chooseStory, DEFAULT_STORY_MODEL, modelFor, type StoryChoice, type StoryModel } from './story-model';
import type { StoryProfile } from './story-profile';

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
 * weeks later) only when they share a source, as an outlet following up its own report does.
 */
export function mayMerge(a: StoryProfile, b: StoryProfile, model: StoryModel): boolean {
  const gap = Math.max(0, a.firstSeen - b.lastSeen, b.firstSeen - a.lastSeen);
  if (gap <= modelFor(storyAsDocument(a), model).windowHours * 3_600_000) return true;
  for (const [source, count] of a.sourceCounts)
    if (count > 0 && (b.sourceCounts.get(source) ?? 0) > 0) return true;
  return false;
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
): StoryChoice<T> & { merge: boolean } {
  const allowed = [...candidates].filter((candidate) => mayMerge(profile, candidate.profile, model));
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
