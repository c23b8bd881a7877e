/**
 * Near-duplicate fingerprints of a document body.
 * - Normalisation: NFKC, lower case, every run of non-letters/digits becomes one space.
 * - Each word is hashed with 32-bit FNV-1a; a shingle's hash folds its word hashes in order and
 *   finishes with the murmur3 mixer (see shingleHashes), under a seed.
 * - SimHash: 64 bits over word 3-shingles; a shingle's 64 feature bits are its hashes under two
 *   seeds (low and high half); 16 hex digits.
 *   Near duplicates differ in few bits (Hamming distance ≤ 3 is the usual threshold).
 * - MinHash: 128 permutations over word 5-shingles. Each shingle is hashed once (as above) and
 *   permuted as h_i(x) = (a_i·x + b_i) mod (2^32) using fixed odd multipliers a_i and offsets b_i from
 *   a seeded xorshift32, so signatures are comparable across processes and releases. The share of
 *   equal positions estimates the Jaccard similarity of the shingle sets.
 */
export const SIMHASH_SHINGLE_WORDS = 3;
export const MINHASH_SHINGLE_WORDS = 5;
export const MINHASH_PERMUTATIONS = 128;

export function normalizeForFingerprint(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Hash of each word shingle, combined from per-word hashes so no shingle string is ever built:
 * h = fmix(h·0x01000193 ⊕ wordHash) over the shingle's words (order-sensitive).
 */
function shingleHashes(wordHashes: Uint32Array, size: number, seed: number): Uint32Array {
  const count = wordHashes.length === 0 ? 0 : Math.max(1, wordHashes.length - size + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let hash = seed;
    const end = Math.min(wordHashes.length, i + size);
    for (let k = i; k < end; k++) hash = Math.imul(hash, 0x01000193) ^ wordHashes[k]!;
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    out[i] = (hash ^ (hash >>> 16)) >>> 0;
  }
  return out;
}

function wordHashes(text: string, hash: (word: string) => number): Uint32Array {
  const words = normalizeForFingerprint(text);
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = hash(words[i]!);
  return out;
}

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** 64-bit SimHash of the text's word 3-shingles as 16 hex digits ("0000000000000000" for empty text). */
export function simhash64(text: string): string {
  const counts = new Int32Array(64);
  const words = wordHashes(text, fnv1a32);
  // 64 feature bits per shingle from two independently seeded 32-bit shingle hashes.
  const low = shingleHashes(words, SIMHASH_SHINGLE_WORDS, 0x811c9dc5);
  const high = shingleHashes(words, SIMHASH_SHINGLE_WORDS, 0x9747b28c);
  for (let s = 0; s < low.length; s++) {
    const lo = low[s]!;
    const hi = high[s]!;
    for (let bit = 0; bit < 32; bit++) {
      counts[bit]! += (lo >>> bit) & 1 ? 1 : -1;
      counts[bit + 32]! += (hi >>> bit) & 1 ? 1 : -1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (counts[bit]! > 0) lo |= 1 << bit;
    if (counts[bit + 32]! > 0) hi |= 1 << bit;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Bits that differ between two SimHashes. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}

function permutationParameters(count: number): { a: Uint32Array; b: Uint32Array } {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  return { a, b };
}

const PERMUTATIONS = permutationParameters(MINHASH_PERMUTATIONS);

/** MinHash signature (128 unsigned 32-bit values) of the text's word 5-shingles; empty for empty text. */
export function minhashSignature(text: string): number[] {
  const hashes = [...new Set(shingleHashes(wordHashes(text, fnv1a32), MINHASH_SHINGLE_WORDS, 0x811c9dc5))];
  if (hashes.length === 0) return [];
  const signature = new Array<number>(MINHASH_PERMUTATIONS).fill(0xffffffff);
  for (let i = 0; i < MINHASH_PERMUTATIONS; i++) {
    const a = PERMUTATIONS.a[i]!;
    const b = PERMUTATIONS.b[i]!;
    let min = 0xffffffff;
    for (const x of hashes) {
      const value = (Math.imul(a, x) + b) >>> 0;
      if (value < min) min = value;
    }
    signature[i] = min;
  }
  return signature;
}

/** Estimated Jaccard similarity of two MinHash signatures. */
export function minhashSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
