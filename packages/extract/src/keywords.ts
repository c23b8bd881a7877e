import type { Entity } from '@sluice/contracts';

/** Function words in the languages Sluice sees most, which never make a keyword. */
const STOP_WORDS = new Set(
  `about above after again against also although among another because been before being below between both
could does doing down during each either else even ever every from further have having here hers herself
himself however into itself just least less made make many more most much must myself neither never none
only other ours ourselves over same shall should since some such than that their theirs them themselves
then there these they this those though through under until upon very what when where whether which while
whom whose will with within without would year years your yours said says told according also still
week weeks month months time times people percent today yesterday tuesday wednesday thursday friday
saturday sunday monday
aber alle auch auf aus bei bereits dass dem den der des die dies diese diesem dieser doch durch eine einem
einen einer eines für gegen hatte haben hier immer jetzt kann können mehr mit nach nicht noch nur oder
schon sein seine sich sind über und unter vom von vor war waren wenn werden wird wurde zum zur zwischen
avec dans des elle est ils les leur mais nous pour plus par pas que qui sans ses son sont sur une aux
como con del las los para pero por que sus una unos entre sobre desde esta este están también
`.split(/\s+/),
);

/**
 * Up to `limit` keywords: the most mentioned entities, then the most frequent content words of four
 * or more letters that those names do not already cover.
 */
export function extractKeywords(text: string, entities: readonly Entity[] = [], limit = 10): string[] {
  const keywords: string[] = [];
  const covered = new Set<string>();
  for (const entity of entities.slice(0, Math.ceil(limit / 2))) {
    if (entity.mentions < 2 && keywords.length >= 2) continue;
    keywords.push(entity.name);
    for (const word of entity.name.toLowerCase().split(/[^\p{L}\p{N}]+/u)) covered.add(word);
    for (const alias of entity.aliases)
      for (const word of alias.toLowerCase().split(/[^\p{L}\p{N}]+/u)) covered.add(word);
  }
  const counts = new Map<string, number>();
  for (const word of text
    .slice(0, 100_000)
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’-]+/u)) {
    const clean = word.replace(/^['’-]+|['’-]+$|['’]s$/g, '');
    if (clean.length < 4 || /\d/.test(clean) || STOP_WORDS.has(clean) || covered.has(clean)) continue;
    counts.set(clean, (counts.get(clean) ?? 0) + 1);
  }
  const frequent = [...counts.entries()]
    .filter(([, count]) => count >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [word] of frequent) {
    if (keywords.length >= limit) break;
    keywords.push(word);
  }
  return keywords;
}
