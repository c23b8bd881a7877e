import type { ExtractedDocument } from '@sluice/contracts';

export type IndexAction = 'inserted' | 'updated' | 'unchanged' | 'duplicate';

export interface IndexOutcome {
  id: string;
  action: IndexAction;
  /** The original this document duplicates (exact: merged into it; near: linked to it). */
  duplicateOf: string | null;
  duplicateKind: 'exact' | 'near' | null;
  /** Fingerprint similarity to the original, for near-duplicates. */
  similarity: number | null;
  storyId: string | null;
}

export interface StoredDocument extends ExtractedDocument {
  indexedAt: string;
  updatedAt: string;
  version: number;
  /** The text search configuration the document was indexed with. */
  textSearchConfig: string;
  duplicateOf: string | null;
  duplicateKind: 'exact' | 'near' | null;
  storyId: string | null;
  /** Every address the document was seen under, merged exact duplicates' included. */
  urls: string[];
  /** Every source that published it, merged exact duplicates' included. */
  sources: string[];
  /** Ids of documents linked to this one as duplicates. */
  duplicates: string[];
  versions: {
    version: number;
    title: string | null;
    contentHash: string;
    indexedAt: string;
    replacedAt: string;
  }[];
}
