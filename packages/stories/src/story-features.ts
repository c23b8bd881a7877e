import { type DocumentFrequencies, inverseDocumentFrequency } from './document-frequencies';

/** What the story scorer knows about one document. */
export interface DocumentFeatures {
  /** Unit-length TF-IDF vector of the strongest terms. */
  vector: Map<string, number>;
  /** Entity keys (`type:name`), e.g. from the extractor. */
  entities: string[];
  /** When it happened, ms since epoch. */
  time: number;
  source: string | null;
}

/** Terms kept per document: past this the weights are noise and the lookups cost more. */
export const DOCUMENT_TERMS = 24;

/** Weighs term counts by IDF, keeps the strongest `DOCUMENT_TERMS`, and scales to unit length. */
export function termVector(
  counts: Map<string, number>,
  frequencies: DocumentFrequencies,
  keep = DOCUMENT_TERMS,
): Map<string, number> {
  const weighted = [...counts].map(
    ([term, count]) => [term, (1 + Math.log(count)) * inverseDocumentFrequency(frequencies, term)] as const,
  );
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = weighted.slice(0, keep);
  const norm = Math.sqrt(kept.reduce((sum, [, weight]) => sum + weight * weight, 0)) || 1;
  return new Map(kept.map(([term, weight]) => [term, weight / norm]));
}

/** The document's strongest terms, for candidate-story lookup. */
export function lookupTerms(vector: Map<string, number>, count = 8): string[] {
  return [...vector]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([term]) => term);
}
