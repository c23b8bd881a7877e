/** How many documents contain each term, for IDF weights. Kept by whoever streams the documents. */
export interface DocumentFrequencies {
  /** Documents counted so far. */
  readonly documentCount: number;
  frequency(term: string): number;
}

/** In-memory document frequencies for the online clusterer and tests. */
export class TermFrequencyTable implements DocumentFrequencies {
  documentCount = 0;
  private readonly counts = new Map<string, number>();

  frequency(term: string): number {
    return this.counts.get(term) ?? 0;
  }

  entries(): [string, number][] {
    return [...this.counts];
  }

  /** Counts one document's distinct terms. */
  add(terms: Iterable<string>): void {
    this.documentCount += 1;
    for (const term of terms) this.counts.set(term, (this.counts.get(term) ?? 0) + 1);
  }
}

/** Smoothed inverse document frequency; a term never seen before weighs most. */
export function inverseDocumentFrequency(frequencies: DocumentFrequencies, term: string): number {
  return Math.log((frequencies.documentCount + 1) / (frequencies.frequency(term) + 1)) + 1;
}

/**
 * Background document frequencies counted on the fit split (a news stream of its own), added to
 * the index's own counts: a young index then weighs "talks" or "police" as a mature one would.
 */
export interface FrequencyPrior {
  documents: number;
  frequencies: Record<string, number>;
}

export const NO_PRIOR: FrequencyPrior = { documents: 0, frequencies: {} };

export function withPrior(frequencies: DocumentFrequencies, prior: FrequencyPrior): DocumentFrequencies {
  if (prior.documents === 0) return frequencies;
  return {
    documentCount: frequencies.documentCount + prior.documents,
    frequency: (term) => frequencies.frequency(term) + (prior.frequencies[term] ?? 0),
  };
}

/** The prior from a stream's document-frequency keys: the `keep` most frequent seen at least `least` times. */
export function frequencyPriorOf(
  documents: Iterable<readonly string[]>,
  keep = 4000,
  least = 5,
): FrequencyPrior {
  const table = new TermFrequencyTable();
  for (const keys of documents) table.add(keys);
  const kept = table
    .entries()
    .filter(([, count]) => count >= least)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, keep);
  return { documents: table.documentCount, frequencies: Object.fromEntries(kept) };
}
