import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/seeds beside the repository, when this machine has it. */
export const SEEDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seeds');
export const seedsAvailable = () => existsSync(join(SEEDS_DIR, 'index.json'));

export interface Seed {
  file: string;
  source: string;
  url: string | null;
  title: string;
  text: string;
}

export function loadSeeds(): Seed[] {
  const index = JSON.parse(readFileSync(join(SEEDS_DIR, 'index.json'), 'utf8')) as Omit<Seed, 'text'>[];
  const files = new Set(readdirSync(SEEDS_DIR));
  return index
    .filter((seed) => files.has(seed.file))
    .map((seed) => ({
      ...seed,
      text: readFileSync(join(SEEDS_DIR, seed.file), 'utf8'),
    }));
}
