import { readFileSync } from 'node:fs';

/** A seeded pseudo-random picker, so benchmark runs ask the same questions in the same order. */
export function seededPicker(seed: number) {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
}

/** The UCI headlines (column 2 of the corpus file): what benchmark queries are drawn from. */
export function readHeadlines(corpusFile: string): string[] {
  return readFileSync(corpusFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[1] ?? '');
}

/** The words of five letters or more of one headline picked at random: a realistic query. */
export function headlineWords(pick: <T>(items: readonly T[]) => T, headlines: readonly string[]): string[] {
  return (
    pick(headlines)
      .toLowerCase()
      .match(/[a-z]{5,}/g) ?? ['market']
  );
}
