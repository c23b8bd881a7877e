import { bcubed } from './bcubed';
import type { FrequencyPrior } from './document-frequencies';
import { fitLogistic, linearScore } from './linear-model';
import { type ClusterInput, StoryClusterer } from './story-clusterer';
import { DEFAULT_FREQUENCY_PRIOR } from './story-features';
import {
  chooseStory,
  DECISION_FEATURES,
  DEFAULT_STORY_MODEL,
  decisionFeatures,
  STORY_MODEL_VERSION,
  type StoryModel,
} from './story-model';
import { PAIR_FEATURES, pairFeatures } from './story-similarity';

export interface LabelledStream {
  name: string;
  /** In publication order; `gold` is the true story. */
  documents: readonly (ClusterInput & { gold: string })[];
}

/** How often the indexer's repair job runs (`REPAIR_STORIES_EVERY_MS` in contracts): 10 minutes. */
export const REPAIR_EVERY_MS = 10 * 60_000;

export interface FitSettings {
  windowHours: number;
  /** Candidate window of the repair pass's merges; the join window when absent. */
  mergeWindowHours?: number;
  maxCandidates: number;
  /** Candidates per document kept as ranker examples (the gold one plus the best-looking others). */
  negativesPerDocument: number;
  /** Documents per stream whose candidates become examples (spread evenly): enough, and fits stay quick. */
  examplesPerStream: number;
  /** Documents per stream replayed online to calibrate the join threshold. */
  calibrationDocuments: number;
  /** Join thresholds tried when calibrating the decision. */
  thresholds: readonly number[];
  /** Merge probabilities tried for the repair pass (ties go to the stricter). */
  mergeProbabilities: readonly number[];
  /**
   * Rare-name shares tried (with each merge probability) for merges past the join window
   * (`mayMerge`), beside none; only when the merge window is wider than the join window.
   */
  rareNameShares: readonly number[];
}

export const DEFAULT_FIT_SETTINGS: FitSettings = {
  windowHours: DEFAULT_STORY_MODEL.windowHours,
  maxCandidates: DEFAULT_STORY_MODEL.maxCandidates,
  negativesPerDocument: 12,
  examplesPerStream: 4000,
  calibrationDocuments: 12000,
  thresholds: [0.3, 0.45, 0.6],
  mergeProbabilities: [0.7, 0.8, 0.9, 0.95, 0.98],
  rareNameShares: [0.01, 0.03, 0.1],
};

interface Example {
  pairs: { features: number[]; gold: boolean }[];
}

/**
 * Replays a stream with the true stories (each document is placed in its gold story after being
 * looked at), recording for each document the similarity features of its candidate stories.
 */
function examplesOf(
  stream: LabelledStream,
  model: StoryModel,
  settings: FitSettings,
  prior: FrequencyPrior,
): Example[] {
  const clusterer = new StoryClusterer(model, prior);
  const examples: Example[] = [];
  const every = Math.max(1, Math.floor(stream.documents.length / settings.examplesPerStream));
  for (const [index, doc] of stream.documents.entries()) {
    const features = clusterer.featuresOf(doc);
    const goldId = `gold:${doc.gold}`;
    if (index % every !== 0) {
      clusterer.place(doc.id, features, goldId);
      continue;
    }
    const pairs = clusterer
      .candidates(features)
      .map((story) => ({ features: pairFeatures(features, story.profile), gold: story.id === goldId }));
    const negatives = pairs
      .filter((pair) => !pair.gold)
      .sort((a, b) => b.features[8]! - a.features[8]!)
      .slice(0, settings.negativesPerDocument);
    examples.push({ pairs: [...pairs.filter((pair) => pair.gold), ...negatives] });
    clusterer.place(doc.id, features, goldId);
  }
  return examples;
}

/** BCubed scores of streaming `stream` through the online clusterer with `model`. */
export function scoreStream(
  stream: LabelledStream,
  model: StoryModel,
  prior: FrequencyPrior = DEFAULT_FREQUENCY_PRIOR,
  repairEveryMs: number | null = REPAIR_EVERY_MS,
  /** `frequencyKeys` of documents counted into the index first (not clustered): an index not new. */
  counted: readonly (readonly string[])[] = [],
) {
  const clusterer = new StoryClusterer(model, prior);
  for (const keys of counted) clusterer.countTerms(keys);
  const assigned = new Map<string, string>();
  const started = performance.now();
  let nextRepair = Number.NEGATIVE_INFINITY;
  let merges = 0;
  for (const doc of stream.documents) {
    // The scheduled repair pass, run on the stream's clock as the indexer's job runs on the wall clock.
    if (repairEveryMs !== null && doc.time >= nextRepair) {
      merges += clusterer.repair().length;
      nextRepair = doc.time + repairEveryMs;
    }
    assigned.set(doc.id, clusterer.add(doc).storyId);
  }
  if (repairEveryMs !== null) merges += clusterer.repair().length;
  const seconds = (performance.now() - started) / 1000;
  const predicted = new Map([...assigned].map(([id, story]) => [id, clusterer.resolve(story)]));
  const gold = new Map(stream.documents.map((doc) => [doc.id, doc.gold]));
  return {
    ...bcubed(predicted, gold),
    singletons: bcubed(new Map([...gold.keys()].map((id) => [id, id])), gold).f1,
    stories: new Set(predicted.values()).size,
    goldStories: new Set(gold.values()).size,
    docsPerSecond: stream.documents.length / seconds,
    merges,
  };
}

/**
 * Fits the ranker on candidate pairs, then the join decision on each document's best candidate,
 * then picks the join threshold with the best mean BCubed F1 over the streams. Deterministic.
 */
export function fitStoryModel(
  streams: readonly LabelledStream[],
  settings: FitSettings = DEFAULT_FIT_SETTINGS,
  fittedOn = streams.map((stream) => stream.name).join(' + '),
  log: (line: string) => void = () => {},
  prior: FrequencyPrior = DEFAULT_FREQUENCY_PRIOR,
): StoryModel {
  // Only the shipped model's format carries over: its headline model and merge settings would
  // otherwise decide (and be calibrated) in place of the model being fit.
  const {
    headlines: _headlines,
    mergeProbability: _merge,
    mergeWindowHours: _window,
    mergeRareNameShare: _share,
    ...shipped
  } = DEFAULT_STORY_MODEL;
  const base: StoryModel = {
    ...shipped,
    fittedOn,
    windowHours: settings.windowHours,
    ...(settings.mergeWindowHours ? { mergeWindowHours: settings.mergeWindowHours } : {}),
    maxCandidates: settings.maxCandidates,
  };
  const examples = streams.flatMap((stream) => examplesOf(stream, base, settings, prior));
  const pairRows = examples.flatMap((example) => example.pairs);
  log(`${fittedOn}: ${examples.length} documents, ${pairRows.length} candidate pairs`);
  const positives = pairRows.filter((pair) => pair.gold).length;
  const ranker = fitLogistic(
    PAIR_FEATURES,
    pairRows.map((pair) => pair.features),
    pairRows.map((pair) => (pair.gold ? 1 : 0)),
    { positiveWeight: Math.max(1, (pairRows.length - positives) / Math.max(positives, 1)) },
  );
  const decisionRows: number[][] = [];
  const decisionLabels: number[] = [];
  for (const { pairs } of examples) {
    if (pairs.length === 0) continue;
    const scored = pairs
      .map((pair) => ({ ...pair, score: linearScore(ranker, pair.features) }))
      .sort((a, b) => b.score - a.score);
    const [best, second] = scored;
    decisionRows.push(decisionFeatures(best!.score, second?.score ?? null, best!.features));
    decisionLabels.push(best!.gold ? 1 : 0);
  }
  const teacherForced = fitLogistic(DECISION_FEATURES, decisionRows, decisionLabels);
  let model: StoryModel = {
    ...base,
    version: STORY_MODEL_VERSION,
    ranker,
    decision: teacherForced,
    threshold: 0.5,
  };
  // The decision is then refit on the decisions the model meets online, where stories are its own
  // (fragments included), not the true ones: a join is right when the story is mostly the document's.
  for (const stream of streams)
    onlineDecisionExamples(stream, model, settings, prior, decisionRows, decisionLabels);
  log(`${fittedOn}: ${decisionRows.length} decision examples`);
  model = { ...model, decision: fitLogistic(DECISION_FEATURES, decisionRows, decisionLabels) };
  let bestF1 = -1;
  const calibration = streams.map((stream) => ({
    ...stream,
    documents: stream.documents.slice(0, settings.calibrationDocuments),
  }));
  for (const threshold of settings.thresholds) {
    const candidate = { ...model, threshold };
    const f1 =
      calibration.reduce((sum, stream) => sum + scoreStream(stream, candidate, prior).f1, 0) / streams.length;
    log(`${fittedOn}: threshold ${threshold} -> fit-split F1 ${f1.toFixed(3)}`);
    if (f1 > bestF1) {
      bestF1 = f1;
      model = candidate;
    }
  }
  // Then how sure the repair pass must be to merge two stories, and (past the join window) how
  // rare a shared full name must be, together, on the same calibration streams.
  bestF1 = -1;
  let chosen = model;
  const widerMerges = (settings.mergeWindowHours ?? 0) > settings.windowHours;
  const shares = [undefined, ...(widerMerges ? [...settings.rareNameShares].sort((a, b) => a - b) : [])];
  for (const mergeRareNameShare of shares) {
    for (const mergeProbability of [...settings.mergeProbabilities].sort((a, b) => b - a)) {
      const candidate: StoryModel = {
        ...model,
        mergeProbability,
        ...(mergeRareNameShare === undefined ? {} : { mergeRareNameShare }),
      };
      const f1 =
        calibration.reduce((sum, stream) => sum + scoreStream(stream, candidate, prior).f1, 0) /
        streams.length;
      log(
        `${fittedOn}: merge probability ${mergeProbability}, rare-name share ${mergeRareNameShare ?? 'none'} -> fit-split F1 ${f1.toFixed(4)}`,
      );
      if (f1 > bestF1) {
        bestF1 = f1;
        chosen = candidate;
      }
    }
  }
  return chosen;
}

function onlineDecisionExamples(
  stream: LabelledStream,
  model: StoryModel,
  settings: FitSettings,
  prior: FrequencyPrior,
  rows: number[][],
  labels: number[],
) {
  const clusterer = new StoryClusterer(model, prior);
  const golds = new Map<string, Map<string, number>>();
  const every = Math.max(1, Math.floor(stream.documents.length / settings.examplesPerStream));
  for (const [index, doc] of stream.documents.entries()) {
    const features = clusterer.featuresOf(doc);
    const choice = chooseStory(features, clusterer.candidates(features), model);
    if (choice.best && choice.decisionInputs && index % every === 0) {
      const counts = [...(golds.get(choice.best.id) ?? new Map<string, number>())];
      const top = counts.sort((a, b) => b[1] - a[1])[0];
      rows.push(choice.decisionInputs);
      labels.push(top?.[0] === doc.gold ? 1 : 0);
    }
    const storyId = clusterer.place(doc.id, features, choice.join && choice.best ? choice.best.id : null);
    const counts = golds.get(storyId) ?? new Map<string, number>();
    counts.set(doc.gold, (counts.get(doc.gold) ?? 0) + 1);
    golds.set(storyId, counts);
  }
}
