import { TermFrequencyTable } from './document-frequencies';
import { type DocumentFeatures, lookupTerms, termVector } from './story-features';
import { addToProfile, mergeProfiles, profileOf, type StoryProfile, storyLookupTerms } from './story-profile';
import { DEFAULT_STORY_SCORING, type StoryScoring, scoreStory, withinWindow } from './story-score';
import { termCounts } from './terms';

export interface ClusterInput {
  id: string;
  title: string;
  /** Opening of the body, if any. Headlines alone work. */
  lead?: string;
  entities?: string[];
  /** ms since epoch. */
  time: number;
  source?: string | null;
}

export interface StoryAssignment {
  storyId: string;
  /** Score against the story it joined; null when it started one. */
  score: number | null;
  created: boolean;
}

export interface ClusteredStory {
  id: string;
  headline: string;
  profile: StoryProfile;
  documentIds: string[];
}

/**
 * Online story clustering: each document joins the best-scoring recent story or starts one.
 * Candidates come from an inverted index of each story's strongest terms, so the cost per
 * document follows the number of stories sharing its terms, not the number of stories.
 */
export class StoryClusterer {
  private readonly frequencies = new TermFrequencyTable();
  private readonly stories = new Map<string, ClusteredStory>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly indexedTerms = new Map<string, string[]>();
  private readonly mergedInto = new Map<string, string>();

  constructor(private readonly scoring: StoryScoring = DEFAULT_STORY_SCORING) {}

  add(input: ClusterInput): StoryAssignment {
    const counts = termCounts(input.title, input.lead);
    this.frequencies.add(counts.keys());
    const features: DocumentFeatures = {
      vector: termVector(counts, this.frequencies),
      entities: input.entities ?? [],
      time: input.time,
      source: input.source ?? null,
    };
    let best: ClusteredStory | null = null;
    let bestScore = 0;
    for (const story of this.candidates(features)) {
      const score = scoreStory(features, story.profile, this.scoring);
      if (score > bestScore || (score === bestScore && best && story.id < best.id)) {
        best = story;
        bestScore = score;
      }
    }
    if (best && bestScore >= this.scoring.threshold) {
      best.profile = addToProfile(best.profile, features);
      best.documentIds.push(input.id);
      this.reindex(best);
      return { storyId: best.id, score: bestScore, created: false };
    }
    const story: ClusteredStory = {
      id: input.id,
      headline: input.title,
      profile: profileOf(features),
      documentIds: [input.id],
    };
    this.stories.set(story.id, story);
    this.reindex(story);
    return { storyId: story.id, score: null, created: true };
  }

  /** Folds story `from` into story `into`; later look-ups of `from` resolve to `into`. */
  merge(into: string, from: string): void {
    const target = this.stories.get(this.resolve(into));
    const source = this.stories.get(this.resolve(from));
    if (!target || !source || target === source) return;
    target.profile = mergeProfiles(target.profile, source.profile);
    target.documentIds.push(...source.documentIds);
    this.unindex(source.id);
    this.stories.delete(source.id);
    this.mergedInto.set(source.id, target.id);
    this.reindex(target);
  }

  /** The current id of a story, following merges. */
  resolve(storyId: string): string {
    let id = storyId;
    for (let next = this.mergedInto.get(id); next; next = this.mergedInto.get(id)) id = next;
    return id;
  }

  story(storyId: string): ClusteredStory | undefined {
    return this.stories.get(this.resolve(storyId));
  }

  allStories(): IterableIterator<ClusteredStory> {
    return this.stories.values();
  }

  private *candidates(features: DocumentFeatures): Iterable<ClusteredStory> {
    const seen = new Set<string>();
    for (const term of lookupTerms(features.vector)) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      for (const storyId of posting) {
        if (seen.has(storyId)) continue;
        seen.add(storyId);
        const story = this.stories.get(storyId)!;
        // Stories that fell out of the window stay out for later (time-ordered) documents too.
        if (!withinWindow(features.time, story.profile, this.scoring)) {
          if (features.time > story.profile.lastSeen) this.unindex(storyId);
          continue;
        }
        yield story;
      }
    }
  }

  private reindex(story: ClusteredStory): void {
    this.unindex(story.id);
    const terms = storyLookupTerms(story.profile);
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (posting) posting.add(story.id);
      else this.postings.set(term, new Set([story.id]));
    }
    this.indexedTerms.set(story.id, terms);
  }

  private unindex(storyId: string): void {
    for (const term of this.indexedTerms.get(storyId) ?? []) this.postings.get(term)?.delete(storyId);
    this.indexedTerms.delete(storyId);
  }
}
