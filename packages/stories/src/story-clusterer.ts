import { type FrequencyPrior, TermFrequencyTable } from './document-frequencies';
import { entityKeys, type NamedEntity } from './story-entities';
import {
  DEFAULT_FREQUENCY_PRIOR,
  type DocumentFeatures,
  documentFeatures,
  lookupEntities,
  lookupTerms,
} from './story-features';
import { fieldTermCounts, frequencyKeys } from './story-fields';
import { mergeCandidate, mergeModelOf, storyAsDocument, survivorOf } from './story-merge';
import {
  chooseStory,
  DEFAULT_STORY_MODEL,
  maxWindowHours,
  modelFor,
  type StoryModel,
  withinWindow,
} from './story-model';
import { addToProfile, mergeProfiles, profileOf, type StoryProfile, storyLookupTerms } from './story-profile';

export interface ClusterInput {
  id: string;
  title: string;
  /** Opening of the article, if any. Headlines alone work. */
  lead?: string;
  /** The article past its lead, if any. */
  body?: string;
  entities?: readonly NamedEntity[];
  /** ms since epoch. */
  time: number;
  source?: string | null;
}

export interface StoryAssignment {
  storyId: string;
  /** Join probability for the best candidate story; null when there was none. */
  probability: number | null;
  created: boolean;
}

export interface ClusteredStory {
  id: string;
  profile: StoryProfile;
  documentIds: string[];
}

/**
 * Online story clustering in memory, with the model the indexer uses on PostgreSQL: each document
 * joins the best-ranked open story when the decision model says so, or starts one. Candidates
 * come from an inverted index of each story's strongest stems and entity keys, so the cost per
 * document follows the number of stories sharing its terms, not the number of stories.
 */
export class StoryClusterer {
  private readonly frequencies = new TermFrequencyTable();
  private readonly stories = new Map<string, ClusteredStory>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly indexedKeys = new Map<string, string[]>();
  private readonly mergedInto = new Map<string, string>();
  /** Stories changed since the last repair pass: only they can have newly converged with another. */
  private readonly touched = new Set<string>();

  constructor(
    private readonly model: StoryModel = DEFAULT_STORY_MODEL,
    private readonly prior: FrequencyPrior = DEFAULT_FREQUENCY_PRIOR,
  ) {}

  add(input: ClusterInput): StoryAssignment {
    const features = this.featuresOf(input);
    const choice = chooseStory(features, this.candidates(features), this.model);
    const joined = choice.join && choice.best ? choice.best.id : null;
    const storyId = this.place(input.id, features, joined);
    return { storyId, probability: choice.best ? choice.probability : null, created: joined === null };
  }

  /** Counts a document's terms (its `frequencyKeys`) into the document frequencies without clustering it. */
  countTerms(keys: Iterable<string>): void {
    this.frequencies.add(keys);
  }

  /** The document's features; counts its terms into the document frequencies first. */
  featuresOf(input: ClusterInput): DocumentFeatures {
    const counts = fieldTermCounts(input);
    this.frequencies.add(frequencyKeys(counts));
    return documentFeatures(
      counts,
      this.frequencies,
      entityKeys(input.entities ?? []),
      input.time,
      input.source ?? null,
      this.prior,
    );
  }

  /** Open stories sharing a lookup stem or entity with the document, the most recently active first. */
  candidates(features: DocumentFeatures, outer: StoryModel = this.model): ClusteredStory[] {
    const model = modelFor(features, outer);
    const found: ClusteredStory[] = [];
    const seen = new Set<string>();
    for (const key of [
      ...lookupTerms(features).map((term) => `t:${term}`),
      ...lookupEntities(features).map((entity) => `e:${entity}`),
    ]) {
      for (const storyId of this.postings.get(key) ?? []) {
        if (seen.has(storyId)) continue;
        seen.add(storyId);
        const story = this.stories.get(storyId)!;
        if (withinWindow(features.time, story.profile, model.windowHours)) found.push(story);
        // Stories out of every model's window stay out for later (time-ordered) documents too.
        else if (
          !withinWindow(features.time, story.profile, maxWindowHours(this.model)) &&
          features.time > story.profile.lastSeen
        )
          this.unindex(storyId);
      }
    }
    found.sort((a, b) => b.profile.lastSeen - a.profile.lastSeen || (a.id < b.id ? -1 : 1));
    return found.slice(0, model.maxCandidates);
  }

  /** Adds the document to story `storyId`, or to a new story (named after it) when null. */
  place(documentId: string, features: DocumentFeatures, storyId: string | null): string {
    const story = storyId ? this.stories.get(this.resolve(storyId)) : undefined;
    if (story) {
      story.profile = addToProfile(story.profile, features);
      story.documentIds.push(documentId);
      this.reindex(story);
      this.touched.add(story.id);
      return story.id;
    }
    const created: ClusteredStory = {
      id: storyId ?? documentId,
      profile: profileOf(features),
      documentIds: [documentId],
    };
    this.stories.set(created.id, created);
    this.reindex(created);
    this.touched.add(created.id);
    return created.id;
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
    this.touched.delete(source.id);
    this.reindex(target);
    this.touched.add(target.id);
  }

  /**
   * The repair pass's merges, as the scheduled job makes them in the store: each story changed
   * since the last pass is compared, as one document, with the open stories sharing its terms,
   * and folded into the one the model is sure of (the bigger survives).
   */
  repair(): { into: string; from: string; probability: number }[] {
    const merges: { into: string; from: string; probability: number }[] = [];
    const examined = [...this.touched].sort();
    const mergeModel = mergeModelOf(this.model);
    this.touched.clear();
    for (const id of examined) {
      const story = this.stories.get(id);
      if (!story) continue;
      const choice = mergeCandidate(
        story.profile,
        this.candidates(storyAsDocument(story.profile), mergeModel).filter((other) => other !== story),
        this.model,
        undefined,
        this.frequencies,
      );
      if (!choice.merge || !choice.best) continue;
      const [into, from] = survivorOf(story, choice.best);
      this.merge(into.id, from.id);
      merges.push({ into: into.id, from: from.id, probability: choice.probability });
    }
    this.touched.clear();
    return merges;
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

  private reindex(story: ClusteredStory): void {
    this.unindex(story.id);
    const keys = [
      ...storyLookupTerms(story.profile).map((term) => `t:${term}`),
      ...[...story.profile.entityCounts.keys()].map((entity) => `e:${entity}`),
    ];
    for (const key of keys) {
      const posting = this.postings.get(key);
      if (posting) posting.add(story.id);
      else this.postings.set(key, new Set([story.id]));
    }
    this.indexedKeys.set(story.id, keys);
  }

  private unindex(storyId: string): void {
    for (const key of this.indexedKeys.get(storyId) ?? []) this.postings.get(key)?.delete(storyId);
    this.indexedKeys.delete(storyId);
  }
}
