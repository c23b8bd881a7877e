import type { DocumentFeatures } from './story-features';

/** A story as the scorer sees it: summed member vectors, entity counts, time span. */
export interface StoryProfile {
  /** Sum of the members' unit vectors, pruned to the strongest `CENTROID_TERMS`. */
  centroid: Map<string, number>;
  entityCounts: Map<string, number>;
  documentCount: number;
  sources: string[];
  firstSeen: number;
  lastSeen: number;
}

export const CENTROID_TERMS = 64;
/** Terms under which a story is found by candidate lookup. */
export const STORY_LOOKUP_TERMS = 16;
const STORY_ENTITIES = 32;

export function profileOf(features: DocumentFeatures): StoryProfile {
  return addToProfile(
    {
      centroid: new Map(),
      entityCounts: new Map(),
      documentCount: 0,
      sources: [],
      firstSeen: features.time,
      lastSeen: features.time,
    },
    features,
  );
}

/** The profile with one more member. Returns a new profile. */
export function addToProfile(profile: StoryProfile, features: DocumentFeatures): StoryProfile {
  const centroid = new Map(profile.centroid);
  for (const [term, weight] of features.vector) centroid.set(term, (centroid.get(term) ?? 0) + weight);
  const entityCounts = new Map(profile.entityCounts);
  for (const entity of new Set(features.entities))
    entityCounts.set(entity, (entityCounts.get(entity) ?? 0) + 1);
  const sources =
    features.source && !profile.sources.includes(features.source)
      ? [...profile.sources, features.source]
      : profile.sources;
  return {
    centroid: strongest(centroid, CENTROID_TERMS),
    entityCounts: strongest(entityCounts, STORY_ENTITIES),
    documentCount: profile.documentCount + 1,
    sources,
    firstSeen: Math.min(profile.firstSeen, features.time),
    lastSeen: Math.max(profile.lastSeen, features.time),
  };
}

/** One profile for two stories found to be one. */
export function mergeProfiles(a: StoryProfile, b: StoryProfile): StoryProfile {
  const centroid = new Map(a.centroid);
  for (const [term, weight] of b.centroid) centroid.set(term, (centroid.get(term) ?? 0) + weight);
  const entityCounts = new Map(a.entityCounts);
  for (const [entity, count] of b.entityCounts)
    entityCounts.set(entity, (entityCounts.get(entity) ?? 0) + count);
  return {
    centroid: strongest(centroid, CENTROID_TERMS),
    entityCounts: strongest(entityCounts, STORY_ENTITIES),
    documentCount: a.documentCount + b.documentCount,
    sources: [...new Set([...a.sources, ...b.sources])],
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
  };
}

/** The terms a story is indexed under for candidate lookup. */
export function storyLookupTerms(profile: StoryProfile, count = STORY_LOOKUP_TERMS): string[] {
  return [...strongest(profile.centroid, count).keys()];
}

function strongest(weights: Map<string, number>, keep: number): Map<string, number> {
  if (weights.size <= keep) return weights;
  return new Map([...weights].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, keep));
}
