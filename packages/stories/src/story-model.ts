import { type LinearModel, linearScore, sigmoid } from './linear-model';
import type { DocumentFeatures } from './story-features';
import fitted from './story-model.json' with { type: 'json' };
import type { StoryProfile } from './story-profile';
import { PAIR_FEATURES, pairFeatures } from './story-similarity';

/**
 * The learnt story model: a ranker scores each candidate story, and a separate decision model
 * says whether the document joins the best one or starts a story. Written by `npm run fit:stories`.
 */
export interface StoryModel {
  version: number;
  /** What it was fit on, for the record. */
  fittedOn: string;
  /** Stories untouched for longer than this (either side of the document's time) are not candidates. */
  windowHours: number;
  /** Most candidate stories scored per document (the most recently active first). */
  maxCandidates: number;
  ranker: LinearModel;
  decision: LinearModel;
  /** Lowest join probability that joins; chosen on the fit split by BCubed F1. */
  threshold: number;
  /** Join probability (story against story) above which the repair pass merges; chosen on the fit split. */
  mergeProbability?: number;
  /** Candidate window of the repair pass's merges (default `windowHours`): follow-ups weeks later. */
  mergeWindowHours?: number;
  /**
   * Past the join window, stories naming the same person in full may merge when the name's rarest
   * word is in at most this share of the index's documents (`mayMerge`); absent, they may not.
   * Chosen on the fit split.
   */
  mergeRareNameShare?: number;
  /** The model for headline-only documents (no lead or body), when fit apart. */
  headlines?: StoryModel;
}

/** The model that decides for this document: headline-only documents have their own when fit. */
export const modelFor = (doc: DocumentFeatures, model: StoryModel): StoryModel =>
  model.headlines && doc.vectors['lead.s'].size === 0 && doc.vectors['body.s'].size === 0
    ? model.headlines
    : model;

/** The model file's format; a file of another format is refused. */
export const STORY_MODEL_VERSION = 1;

export const DECISION_FEATURES = ['rank.best', 'rank.margin', 'rank.alone', ...PAIR_FEATURES] as const;

export const DEFAULT_STORY_MODEL = checkedModel(fitted as StoryModel);

/** Refuses a model file written for other features: its weights would be read against the wrong inputs. */
export function checkedModel(model: StoryModel): StoryModel {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  for (const part of [model, model.headlines].filter((entry) => entry !== undefined)) {
    if (
      part.version !== STORY_MODEL_VERSION ||
      !same(part.ranker.features, PAIR_FEATURES) ||
      !same(part.decision.features, DECISION_FEATURES)
    )
      throw new Error('the story model file does not match this code: run `npm run fit:stories`');
  }
  return model;
}

export interface StoryChoice<T> {
  /** The best candidate, or null when there were none. */
  best: T | null;
  /** Its ranker score. */
  score: number | null;
  /** Probability that the document belongs to it. */
  probability: number;
  join: boolean;
  /** The decision model's inputs (for fitting it on online decisions). */
  decisionInputs: number[] | null;
}

/** The decision model's inputs: the best candidate's score, its lead over the runner-up, its features. */
export function decisionFeatures(best: number, second: number | null, bestPair: readonly number[]): number[] {
  return [best, second === null ? 0 : best - second, second === null ? 1 : 0, ...bestPair];
}

/** Whether a story is still open to a document at `time`, within `windowHours` either side. */
export function withinWindow(time: number, profile: StoryProfile, windowHours: number) {
  const window = windowHours * 3_600_000;
  return time - profile.lastSeen <= window && profile.firstSeen - time <= window;
}

/** The widest candidate window of the model and its headline model. */
export const maxWindowHours = (model: StoryModel): number =>
  Math.max(
    model.windowHours,
    model.mergeWindowHours ?? 0,
    model.headlines?.windowHours ?? 0,
    model.headlines?.mergeWindowHours ?? 0,
  );

/** Ranks the candidate stories and decides whether the document joins the best. Ties go to the smaller id. */
export function chooseStory<T extends { id: string; profile: StoryProfile }>(
  doc: DocumentFeatures,
  candidates: Iterable<T>,
  outer: StoryModel = DEFAULT_STORY_MODEL,
): StoryChoice<T> {
  const model = modelFor(doc, outer);
  let best: { candidate: T; score: number; pair: number[] } | null = null;
  let second: number | null = null;
  for (const candidate of candidates) {
    if (!withinWindow(doc.time, candidate.profile, model.windowHours)) continue;
    const pair = pairFeatures(doc, candidate.profile);
    const score = linearScore(model.ranker, pair);
    if (!best || score > best.score || (score === best.score && candidate.id < best.candidate.id)) {
      if (best) second = second === null ? best.score : Math.max(second, best.score);
      best = { candidate, score, pair };
    } else {
      second = second === null ? score : Math.max(second, score);
    }
  }
  if (!best) return { best: null, score: null, probability: 0, join: false, decisionInputs: null };
  const decisionInputs = decisionFeatures(best.score, second, best.pair);
  const probability = sigmoid(linearScore(model.decision, decisionInputs));
  return {
    best: best.candidate,
    score: best.score,
    probability,
    join: probability >= model.threshold,
    decisionInputs,
  };
}
