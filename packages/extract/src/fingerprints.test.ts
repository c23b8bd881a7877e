import { describe, expect, it } from 'vitest';
import {
  hammingDistance,
  MINHASH_PERMUTATIONS,
  minhashSignature,
  minhashSimilarity,
  simhash64,
} from './fingerprints';

const BASE =
  'The United States has rejected holding higher-level talks with Iran, one day after their ambassadors to Baghdad held a landmark second meeting on Iraqi security. Iranian Foreign Minister Manouchehr Mottaki says that Tehran is willing to consider talking to Washington at the level of deputy foreign minister.';
const NEAR = BASE.replace('landmark', 'historic');
const OTHER =
  'Scientists in Norway have recorded the warmest winter in a century, with rivers that usually freeze staying open and ski resorts closing early across the south of the country.';

describe('fingerprints', () => {
  it('simhash is 16 hex digits, stable, and close for near duplicates', () => {
    const a = simhash64(BASE);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash64(BASE)).toBe(a);
    expect(hammingDistance(a, simhash64(BASE.toUpperCase()))).toBe(0);
    expect(hammingDistance(a, simhash64(NEAR))).toBeLessThan(hammingDistance(a, simhash64(OTHER)));
    expect(hammingDistance(a, simhash64(OTHER))).toBeGreaterThan(10);
  });

  it('minhash has 128 unsigned 32-bit values and estimates Jaccard similarity', () => {
    const a = minhashSignature(BASE);
    expect(a).toHaveLength(MINHASH_PERMUTATIONS);
    expect(a.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff)).toBe(true);
    expect(minhashSimilarity(a, minhashSignature(BASE))).toBe(1);
    const near = minhashSimilarity(a, minhashSignature(NEAR));
    expect(near).toBeGreaterThan(0.6);
    expect(near).toBeLessThan(1);
    expect(minhashSimilarity(a, minhashSignature(OTHER))).toBeLessThan(0.1);
    expect(minhashSignature('')).toEqual([]);
  });
});
