import {
  type DocumentFrequencies,
  type FrequencyPrior,
  inverseDocumentFrequency,
  withPrior,
} from './document-frequencies';
import type { EntityKeys } from './story-entities';
import {
  emptyFieldVectors,
  type FieldVectors,
  frequencyKey,
  VECTOR_FIELDS,
  type VectorField,
} from './story-fields';
import prior from './story-frequency-prior.json' with { type: 'json' };

/** What the story model knows about one document. */
export interface DocumentFeatures {
  /** Unit-length TF-IDF vectors per field, strongest terms only. */
  vectors: FieldVectors;
  entities: EntityKeys[];
  /** When it happened, ms since epoch. */
  time: number;
  source: string | null;
}

/** Terms kept per field and document: past this the weights are noise and lookups cost more. */
export const DOCUMENT_TERMS = 40;
/** Terms a document looks candidate stories up by. */
export const LOOKUP_TERMS = 16;

/** Weighs one field's term counts by IDF, keeps the strongest `keep`, and scales to unit length. */
export function termVector(
  counts: Map<string, number>,
  frequencies: DocumentFrequencies,
  field: VectorField,
  keep = DOCUMENT_TERMS,
): Map<string, number> {
  const weighted = [...counts].map(
    ([term, count]) =>
      [
        term,
        (1 + Math.log(count)) * inverseDocumentFrequency(frequencies, frequencyKey(field, term)),
      ] as const,
  );
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = weighted.slice(0, keep);
  const norm = Math.sqrt(kept.reduce((sum, [, weight]) => sum + weight * weight, 0)) || 1;
  return new Map(kept.map(([term, weight]) => [term, weight / norm]));
}

/** The background frequencies shipped with the model (written by `npm run fit:stories`). */
export const DEFAULT_FREQUENCY_PRIOR = prior as FrequencyPrior;

export function documentFeatures(
  counts: FieldVectors,
  frequencies: DocumentFrequencies,
  entities: EntityKeys[],
  time: number,
  source: string | null,
  background: FrequencyPrior = DEFAULT_FREQUENCY_PRIOR,
): DocumentFeatures {
  const vectors = emptyFieldVectors();
  const weights = withPrior(frequencies, background);
  for (const field of VECTOR_FIELDS) vectors[field] = termVector(counts[field], weights, field);
  return { vectors, entities, time, source };
}

/** The stems under which stories are indexed and looked up: title first, then lead and body. */
export function stemWeights(vectors: FieldVectors): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [field, factor] of [
    ['title.s', 2],
    ['lead.s', 1],
    ['body.s', 0.5],
  ] as const)
    for (const [term, weight] of vectors[field])
      weights.set(term, (weights.get(term) ?? 0) + factor * weight);
  return weights;
}

/** The document's strongest stems, for candidate-story lookup. */
export function lookupTerms(features: DocumentFeatures, count = LOOKUP_TERMS): string[] {
  return strongestKeys(stemWeights(features.vectors), count);
}

/** Every key of the document's entities, for candidate-story lookup. */
export const lookupEntities = (features: DocumentFeatures): string[] => [
  ...new Set(features.entities.flatMap((entity) => entity.keys)),
];

export function strongestKeys(weights: Map<string, number>, count: number): string[] {
  return [...weights]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([term]) => term);
}
