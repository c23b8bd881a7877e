import { describe, expect, it } from 'vitest';
import { loadSeeds } from '../bench/story-datasets';
import { StoryClusterer } from './story-clusterer';
import { fieldTermCounts, frequencyKeys } from './story-fields';

const seeds = loadSeeds();
if (!seeds) console.log('seed story tests skipped: ../shared/seeds is not beside the repository');

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe.skipIf(!seeds)('the seed articles', () => {
  it('form exactly two stories, 000–002 and 003–004, in every one of the 120 arrival orders, repair pass included', () => {
    const orders = permutations(seeds!.documents);
    expect(orders).toHaveLength(120);
    const wrong: string[] = [];
    for (const order of orders) {
      const clusterer = new StoryClusterer();
      const assigned = new Map(order.map((doc) => [doc.id, clusterer.add(doc).storyId]));
      // Then the scheduled repair pass, which may merge stories the arrival order left apart.
      clusterer.repair();
      const story = (id: string) => clusterer.resolve(assigned.get(id)!);
      const grouped =
        story('000') === story('001') &&
        story('001') === story('002') &&
        story('003') === story('004') &&
        story('000') !== story('003');
      if (!grouped) wrong.push(order.map((doc) => doc.id).join(' '));
    }
    expect(wrong).toEqual([]);
    // 120 streams with the repair pass: seconds on a loaded shared machine.
  }, 120_000);

  it('stay two stories in an index that has counted 1,000 other documents, where their officials are rare names', () => {
    // Past the join window a shared rare full name may merge two stories; the seeds' stories share
    // four officials' names, but neither names them in a title.
    const counted = Array.from({ length: 1000 }, (_, i) =>
      frequencyKeys(
        fieldTermCounts({ title: `Council meeting ${i} on the harbour budget`, lead: 'A vote.' }),
      ),
    );
    const wrong: string[] = [];
    for (const order of permutations(seeds!.documents)) {
      const clusterer = new StoryClusterer();
      for (const keys of counted) clusterer.countTerms(keys);
      const assigned = new Map(order.map((doc) => [doc.id, clusterer.add(doc).storyId]));
      clusterer.repair();
      const story = (id: string) => clusterer.resolve(assigned.get(id)!);
      if (story('000') === story('003') || story('000') !== story('002') || story('003') !== story('004'))
        wrong.push(order.map((doc) => doc.id).join(' '));
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
