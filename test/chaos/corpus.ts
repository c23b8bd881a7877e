/**
 * A generated corpus: every document distinct (its own words, names and numbers), readable
 * enough for the cleaner to keep as an article. Deterministic for a seed, so runs compare.
 */

export interface ChaosDocument {
  n: number;
  text: string;
  source: string;
  /** When set, the document is submitted by address and the fetcher gets the page. */
  url?: string;
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mer',
  'tin',
  'sa',
  'vel',
  'dor',
  'ri',
  'pan',
  'hu',
  'sel',
  'bra',
  'quo',
  'nel',
  'fi',
  'gar',
  'tes',
  'mo',
  'lun',
  'zer',
];
const VERBS = [
  'announced',
  'rejected',
  'approved',
  'delayed',
  'reviewed',
  'questioned',
  'funded',
  'opened',
  'closed',
  'extended',
];
const NOUNS = [
  'council',
  'harbour',
  'budget',
  'bridge',
  'school',
  'railway',
  'hospital',
  'market',
  'court',
  'festival',
  'plant',
  'union',
];
const PLACES = ['Northfield', 'Easton', 'Marlow', 'Keswick', 'Hallam', 'Bexley', 'Tarrant', 'Ludlow'];

export function generateCorpus(count: number, seed: number, offset = 0): ChaosDocument[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const word = () => {
    const parts = 1 + Math.floor(random() * 3);
    return Array.from({ length: parts }, () => pick(SYLLABLES)).join('');
  };
  const name = () => {
    const w = word();
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 10) }, word);
    return `The ${pick(NOUNS)} in ${pick(PLACES)} ${pick(VERBS)} ${words.join(' ')}, said ${name()} ${name()}, who counted ${Math.floor(random() * 10_000)} ${word()}.`;
  };
  return Array.from({ length: count }, (_, index) => {
    const n = offset + index;
    const headline = `${name()} ${pick(NOUNS)} ${pick(VERBS)} in ${pick(PLACES)} (${n})`;
    const paragraphs = Array.from({ length: 4 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 3 + Math.floor(random() * 3) }, sentence).join(' '),
    );
    return { n, text: [headline, ...paragraphs].join('\n\n'), source: `Chaos ${n % 7}` };
  });
}
