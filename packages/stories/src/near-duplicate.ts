/** MinHash LSH: 16 bands of 8 rows put pairs above ~0.7 Jaccard in a shared bucket with high probability. */
export const LSH_BANDS = 16;
/** Lowest estimated Jaccard similarity of shingles for a near-duplicate. */
export const MINHASH_THRESHOLD = 0.8;
/** Most differing SimHash bits for a near-duplicate when there is no MinHash to compare. */
export const SIMHASH_MAX_DISTANCE = 3;

export interface FingerprintPair {
  simhash?: string | null;
  minhash?: readonly number[] | null;
}

/**
 * Candidate keys of a fingerprint: one per MinHash band (`m<band>:<hash>`) and one per 16-bit
 * SimHash block (`s<block>:<hex>`). Two near-duplicates share at least one key (SimHash: any
 * distance up to 3 leaves one of the four blocks equal).
 */
export function fingerprintKeys(
  fingerprints: FingerprintPair | null | undefined,
  bands = LSH_BANDS,
): string[] {
  if (!fingerprints) return [];
  const keys: string[] = [];
  const minhash = fingerprints.minhash ?? [];
  if (minhash.length >= bands) {
    const rows = Math.floor(minhash.length / bands);
    for (let band = 0; band < bands; band += 1) {
      keys.push(`m${band}:${bandHash(minhash.slice(band * rows, band * rows + rows))}`);
    }
  }
  const simhash = fingerprints.simhash;
  if (simhash && /^[0-9a-f]{16}$/.test(simhash)) {
    for (let block = 0; block < 4; block += 1)
      keys.push(`s${block}:${simhash.slice(block * 4, block * 4 + 4)}`);
  }
  return keys;
}

/** FNV-1a over the band's values: a short, stable bucket name. */
function bandHash(values: readonly number[]): string {
  let hash = 0x811c9dc5;
  for (const value of values) {
    for (let shift = 0; shift < 32; shift += 8) {
      hash ^= (value >>> shift) & 0xff;
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Estimated Jaccard similarity: the share of MinHash positions that agree. */
export function minhashSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let equal = 0;
  for (let index = 0; index < a.length; index += 1) if (a[index] === b[index]) equal += 1;
  return equal / a.length;
}

/** Number of differing bits between two 64-bit SimHashes in hex. */
export function simhashDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x > 0n) {
    x &= x - 1n;
    bits += 1;
  }
  return bits;
}

/**
 * Similarity of two fingerprints in [0, 1], or null when they cannot be compared. MinHash when
 * both have it (it measures shared text); SimHash otherwise.
 */
export function fingerprintSimilarity(a: FingerprintPair, b: FingerprintPair): number | null {
  if (a.minhash?.length && b.minhash?.length && a.minhash.length === b.minhash.length) {
    return minhashSimilarity(a.minhash, b.minhash);
  }
  if (a.simhash && b.simhash) return 1 - simhashDistance(a.simhash, b.simhash) / 64;
  return null;
}

/** Whether two fingerprints are of the same text give or take boilerplate and small edits. */
export function isNearDuplicate(a: FingerprintPair, b: FingerprintPair): boolean {
  if (a.minhash?.length && b.minhash?.length && a.minhash.length === b.minhash.length) {
    return minhashSimilarity(a.minhash, b.minhash) >= MINHASH_THRESHOLD;
  }
  if (a.simhash && b.simhash) return simhashDistance(a.simhash, b.simhash) <= SIMHASH_MAX_DISTANCE;
  return false;
}
