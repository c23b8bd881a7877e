import { describe, expect, it } from 'vitest';
import { fingerprintKeys, isNearDuplicate, minhashSimilarity, simhashDistance } from './near-duplicate';

const signature = (seed: number) =>
  Array.from({ length: 128 }, (_, index) => (seed * 2654435761 + index * 40503) >>> 0);

describe('near-duplicate fingerprints', () => {
  it('puts copies with a few changed MinHash values in a shared LSH band, and unrelated ones apart', () => {
    const original = signature(1);
    const edited = [...original];
    for (let index = 0; index < 12; index += 1) edited[index * 10] = 5;
    expect(minhashSimilarity(original, edited)).toBeCloseTo(116 / 128);
    expect(isNearDuplicate({ minhash: original }, { minhash: edited })).toBe(true);
    const shared = fingerprintKeys({ minhash: original }).filter((key) =>
      fingerprintKeys({ minhash: edited }).includes(key),
    );
    expect(shared.length).toBeGreaterThan(0);
    const unrelated = fingerprintKeys({ minhash: signature(2) });
    expect(fingerprintKeys({ minhash: original }).some((key) => unrelated.includes(key))).toBe(false);
    expect(isNearDuplicate({ minhash: original }, { minhash: signature(2) })).toBe(false);
  });

  it('compares SimHashes by bit distance when there is no MinHash, and shares a block within 3 bits', () => {
    expect(simhashDistance('0000000000000000', '0000000000000007')).toBe(3);
    expect(isNearDuplicate({ simhash: '0000000000000000' }, { simhash: '1000000000000003' })).toBe(true);
    expect(isNearDuplicate({ simhash: '0000000000000000' }, { simhash: '000000000000000f' })).toBe(false);
    const a = fingerprintKeys({ simhash: '0123456789abcdef' });
    const b = fingerprintKeys({ simhash: '1123456789abcdee' });
    expect(a.filter((key) => b.includes(key))).toHaveLength(2);
    expect(fingerprintKeys(null)).toEqual([]);
  });
});
