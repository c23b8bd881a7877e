import type { DocumentFeatures } from './story-features';
import type { StoryProfile } from './story-profile';

export interface StoryScoring {
  /** Weight of the share of the document's entities the story already has. */
  entityWeight: number;
  /** Hours over which the time factor falls to 1/e once the document is outside the story's span. */
  decayHours: number;
  /** Stories untouched for longer than this are not candidates. */
  windowHours: number;
  /** Lowest score that joins a story; below it the document starts one. */
  threshold: number;
}

/** For articles (title + lead): outlets report one event over a few days. Used by the store. */
export const DEFAULT_STORY_SCORING: StoryScoring = {
  entityWeight: 0.25,
  decayHours: 24,
  windowHours: 72,
  threshold: 0.15,
};

/** For dense headline-only streams (tuned on uci-news-2014-03, see bench:stories): faster decay. */
export const HEADLINE_STORY_SCORING: StoryScoring = {
  entityWeight: 0.25,
  decayHours: 12,
  windowHours: 72,
  threshold: 0.12,
};

const HOUR = 3_600_000;

/** Cosine of the document vector with the story centroid. */
export function cosineToCentroid(vector: Map<string, number>, centroid: Map<string, number>): number {
  let dot = 0;
  for (const [term, weight] of vector) dot += weight * (centroid.get(term) ?? 0);
  if (dot === 0) return 0;
  let norm = 0;
  for (const weight of centroid.values()) norm += weight * weight;
  return dot / Math.sqrt(norm);
}

/** Share of the document's entities that the story's members mention. 0 when it names none. */
export function entityOverlap(entities: readonly string[], profile: StoryProfile): number {
  const distinct = new Set(entities);
  if (distinct.size === 0) return 0;
  let shared = 0;
  for (const entity of distinct) if (profile.entityCounts.has(entity)) shared += 1;
  return shared / distinct.size;
}

/** Whether the story is still open to a document at `time`. */
export function withinWindow(time: number, profile: StoryProfile, scoring = DEFAULT_STORY_SCORING): boolean {
  return (
    time - profile.lastSeen <= scoring.windowHours * HOUR &&
    profile.firstSeen - time <= scoring.windowHours * HOUR
  );
}

/** How well a document fits a story: text similarity plus an entity bonus, decayed by time distance. */
export function scoreStory(
  features: DocumentFeatures,
  profile: StoryProfile,
  scoring: StoryScoring = DEFAULT_STORY_SCORING,
): number {
  if (!withinWindow(features.time, profile, scoring)) return 0;
  const text = cosineToCentroid(features.vector, profile.centroid);
  if (text === 0) return 0;
  const score =
    text + scoring.entityWeight * entityOverlap(features.entities, profile) * Math.min(1, text * 4);
  const gapHours = Math.max(0, features.time - profile.lastSeen, profile.firstSeen - features.time) / HOUR;
  return score * Math.exp(-gapHours / scoring.decayHours);
}
