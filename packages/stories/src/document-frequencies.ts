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
