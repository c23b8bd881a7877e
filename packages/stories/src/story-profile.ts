import { type DocumentFeatures, stemWeights, strongestKeys } from './story-features';
import { emptyFieldVectors, type FieldVectors, VECTOR_FIELDS } from './story-fields';

/** A story as the model sees it: summed member vectors per field, entity counts, time, sources. */
export interface StoryProfile {
  /** Per field, the sum of the members' unit vectors, pruned to the strongest `CENTROID_TERMS`. */
  centroids: FieldVectors;
  /** Members naming each entity key. */
  entityCounts: Map<string, number>;
  documentCount: number;
  /** Members per source. */
  sourceCounts: Map<string, number>;
  firstSeen: number;
  lastSeen: number;
  /** Mean member time, ms since epoch. */
  meanTime: number;
  /** The `title.s` vectors of the latest members: a big story's centroid blurs, its newest titles do not. */
  recentTitles: Map<string, number>[];
}

export const CENTROID_TERMS = 80;
/** Terms under which a story is found by candidate lookup. */
export const STORY_LOOKUP_TERMS = 32;
const STORY_ENTITIES = 48;
/** Member titles kept for nearest-title similarity. */
export const RECENT_TITLES = 8;

const emptyProfile = (time: number): StoryProfile => ({
  centroids: emptyFieldVectors(),
  entityCounts: new Map(),
  documentCount: 0,
  sourceCounts: new Map(),
  firstSeen: time,
  lastSeen: time,
  meanTime: time,
  recentTitles: [],
});

export const profileOf = (features: DocumentFeatures): StoryProfile =>
  addToProfile(emptyProfile(features.time), features);

/** The profile with one more member. Returns a new profile. */
export function addToProfile(profile: StoryProfile, features: DocumentFeatures): StoryProfile {
  const single: StoryProfile = {
    centroids: features.vectors,
    entityCounts: new Map(
      [...new Set(features.entities.flatMap((entity) => entity.keys))].map((key) => [key, 1]),
    ),
    documentCount: 1,
    sourceCounts: new Map(features.source ? [[features.source, 1]] : []),
    firstSeen: features.time,
    lastSeen: features.time,
    meanTime: features.time,
    recentTitles: features.vectors['title.s'].size > 0 ? [features.vectors['title.s']] : [],
  };
  return profile.documentCount === 0
    ? mergeProfiles(emptyProfile(features.time), single)
    : mergeProfiles(profile, single);
}

/** The profile without one member (for detaching it). Returns a new profile. */
export function removeFromProfile(profile: StoryProfile, features: DocumentFeatures): StoryProfile {
  const centroids = emptyFieldVectors();
  for (const field of VECTOR_FIELDS)
    centroids[field] = subtract(profile.centroids[field], features.vectors[field]);
  const entityCounts = subtract(
    profile.entityCounts,
    new Map([...new Set(features.entities.flatMap((entity) => entity.keys))].map((key) => [key, 1])),
  );
  const sourceCounts = subtract(profile.sourceCounts, new Map(features.source ? [[features.source, 1]] : []));
  const count = Math.max(profile.documentCount - 1, 0);
  return {
    centroids,
    entityCounts,
    documentCount: count,
    sourceCounts,
    firstSeen: profile.firstSeen,
    lastSeen: profile.lastSeen,
    meanTime:
      count > 0 ? (profile.meanTime * profile.documentCount - features.time) / count : profile.meanTime,
    recentTitles: profile.recentTitles.filter((title) => !sameVector(title, features.vectors['title.s'])),
  };
}

/** One profile for two stories found to be one. */
export function mergeProfiles(a: StoryProfile, b: StoryProfile): StoryProfile {
  const centroids = emptyFieldVectors();
  for (const field of VECTOR_FIELDS)
    centroids[field] = strongest(sum(a.centroids[field], b.centroids[field]), CENTROID_TERMS);
  const count = a.documentCount + b.documentCount;
  return {
    centroids,
    entityCounts: strongest(sum(a.entityCounts, b.entityCounts), STORY_ENTITIES),
    documentCount: count,
    sourceCounts: sum(a.sourceCounts, b.sourceCounts),
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    meanTime: count > 0 ? (a.meanTime * a.documentCount + b.meanTime * b.documentCount) / count : a.meanTime,
    recentTitles: [...a.recentTitles, ...b.recentTitles].slice(-RECENT_TITLES),
  };
}

/** The stems a story is indexed under for candidate lookup. */
export function storyLookupTerms(profile: StoryProfile, count = STORY_LOOKUP_TERMS): string[] {
  return strongestKeys(stemWeights(profile.centroids), count);
}

/** The distinct sources of a story's members. */
export const profileSources = (profile: StoryProfile): string[] => [...profile.sourceCounts.keys()];

/** A profile as JSON (for the store), and back. */
export interface StoredProfile {
  centroids: Record<string, Record<string, number>>;
  entityCounts: Record<string, number>;
  documentCount: number;
  sourceCounts: Record<string, number>;
  firstSeen: number;
  lastSeen: number;
  meanTime: number;
  recentTitles?: Record<string, number>[];
}

export function storedProfile(profile: StoryProfile): StoredProfile {
  return {
    centroids: Object.fromEntries(
      VECTOR_FIELDS.map((field) => [field, Object.fromEntries(profile.centroids[field])]),
    ),
    entityCounts: Object.fromEntries(profile.entityCounts),
    documentCount: profile.documentCount,
    sourceCounts: Object.fromEntries(profile.sourceCounts),
    firstSeen: profile.firstSeen,
    lastSeen: profile.lastSeen,
    meanTime: profile.meanTime,
    recentTitles: profile.recentTitles.map((title) => Object.fromEntries(title)),
  };
}

export function profileFromStored(stored: StoredProfile): StoryProfile {
  const centroids = emptyFieldVectors();
  for (const field of VECTOR_FIELDS)
    centroids[field] = new Map(Object.entries(stored.centroids[field] ?? {}));
  return {
    centroids,
    entityCounts: new Map(Object.entries(stored.entityCounts ?? {})),
    documentCount: stored.documentCount,
    sourceCounts: new Map(Object.entries(stored.sourceCounts ?? {})),
    firstSeen: stored.firstSeen,
    lastSeen: stored.lastSeen,
    meanTime: stored.meanTime,
    recentTitles: (stored.recentTitles ?? []).map((title) => new Map(Object.entries(title))),
  };
}

function sameVector(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (Math.abs((b.get(key) ?? 0) - value) > 1e-9) return false;
  return true;
}

function sum(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const total = new Map(a);
  for (const [key, value] of b) total.set(key, (total.get(key) ?? 0) + value);
  return total;
}

function subtract(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const rest = new Map(a);
  for (const [key, value] of b) {
    const left = (rest.get(key) ?? 0) - value;
    if (left > 1e-9) rest.set(key, left);
    else rest.delete(key);
  }
  return rest;
}

function strongest(weights: Map<string, number>, keep: number): Map<string, number> {
  if (weights.size <= keep) return weights;
  return new Map([...weights].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, keep));
}
