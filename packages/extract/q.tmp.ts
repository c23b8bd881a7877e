import { readdirSync, readFileSync } from 'node:fs';
import { extractResolvedEntities } from './src/entities/extract-entities';
import { extractQuotes } from './src/quotes';

for (const f of readdirSync('/work/shared/seeds').filter((f) => f.endsWith('.txt'))) {
  const text = readFileSync(`/work/shared/seeds/${f}`, 'utf8');
  console.log('==', f);
  for (const q of extractQuotes(text, extractResolvedEntities(text)))
    console.log(`  ${q.speaker} :: ${q.text.slice(0, 70)}`);
}
