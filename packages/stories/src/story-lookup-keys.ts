import { type DocumentFeatures, lookupEntities, lookupTerms } from './story-features';
import { type StoryProfile, storyLookupTerms } from './story-profile';

/**
 * Candidate look-up keys bound to a week (`t:stem@week`, `e:entity@week`), so an index look-up
 * returns only the stories active in the weeks a document's window touches, not every story in
 * history that shares a common stem or place: the cost per document stays flat as the index grows.
 */
export const LOOKUP_WEEK_MS = 7 * 86_400_000;

/** Weeks of a story's span it is indexed under (its latest): a longer-lived story stays findable by recent documents. */
export const STORY_LOOKUP_WEEKS = 8;

export const weekOf = (time: number): number => Math.floor(time / LOOKUP_WEEK_MS);

const keyed = (keys: readonly string[], fromWeek: number, toWeek: number): string[] => {
  const out: string[] = [];
  for (let week = fromWeek; week <= toWeek; week += 1) for (const key of keys) out.push(`${key}@${week}`);
  return out;
};

/** The keys a story is found under: its lookup stems and entities, in each week of its (recent) span. */
export function storyWeekKeys(profile: StoryProfile, terms: readonly string[] = storyLookupTerms(profile)) {
  const last = weekOf(profile.lastSeen);
  const first = Math.max(weekOf(profile.firstSeen), last - STORY_LOOKUP_WEEKS + 1);
  return keyed(
    [...terms.map((term) => `t:${term}`), ...[...profile.entityCounts.keys()].map((key) => `e:${key}`)],
    first,
    last,
  );
}

/**
 * The keys a document looks stories up by: its lookup stems and entities in each week its
 * candidate window (`windowHours` either side) touches. A story whose span overlaps the window
 * shares a week with it, so the look-up misses no story in the window.
 */
export function documentWeekKeys(features: DocumentFeatures, windowHours: number): string[] {
  const window = windowHours * 3_600_000;
  return keyed(
    [
      ...lookupTerms(features).map((term) => `t:${term}`),
      ...lookupEntities(features).map((key) => `e:${key}`),
    ],
    weekOf(features.time - window),
    weekOf(features.time + window),
  );
}
