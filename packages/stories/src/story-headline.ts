import type { StoryProfile } from './story-profile';
import { cosine } from './story-similarity';

/** A candidate headline: a member's title with its stem vector and source. */
export interface HeadlineCandidate {
  documentId: string;
  title: string;
  /** The member's `title.s` vector. */
  vector: Map<string, number>;
  source: string | null;
}

/** Most a source's prominence adds to a title's centrality. */
const PROMINENCE_BONUS = 0.15;

/**
 * How well a title represents the story: how central its stems are to the story's titles and
 * leads, plus a bonus for sources that publish much (`prominence` in 0..1, e.g. from the index).
 */
export function headlineScore(candidate: HeadlineCandidate, profile: StoryProfile, prominence = 0): number {
  if (!candidate.title.trim()) return -1;
  const central =
    0.7 * cosine(candidate.vector, profile.centroids['title.s']) +
    0.3 * cosine(candidate.vector, profile.centroids['lead.s']);
  return central + PROMINENCE_BONUS * Math.min(Math.max(prominence, 0), 1);
}

/** The member title that best represents the story; the earlier candidate wins ties. */
export function chooseHeadline(
  candidates: readonly HeadlineCandidate[],
  profile: StoryProfile,
  prominence: (source: string | null) => number = () => 0,
): HeadlineCandidate | null {
  let best: { candidate: HeadlineCandidate; score: number } | null = null;
  for (const candidate of candidates) {
    const score = headlineScore(candidate, profile, prominence(candidate.source));
    if (!best || score > best.score + 1e-9) best = { candidate, score };
  }
  return best?.candidate ?? null;
}
