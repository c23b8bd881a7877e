/**
 * Streams each labelled dataset in publication order through the story model the indexer uses
 * and prints BCubed precision/recall/F1 on the held-apart (later) events beside the all-singletons
 * baseline, the cross-dataset scores (model fit on the other set), the whole stream, and docs/s;
 * then the seeds in all 120 arrival orders. Usage: npm run bench:stories
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabelledStream, scoreStream } from '../src/fit-story-model';
import { DEFAULT_STORY_MODEL, fieldTermCounts, frequencyKeys, type StoryModel } from '../src/index';
import { loadGva, loadSeeds, loadUci, splitByTime } from './story-datasets';

const here = dirname(fileURLToPath(import.meta.url));
const oneSetModel = (name: string) =>
  JSON.parse(readFileSync(join(here, 'models', `${name}.json`), 'utf8')) as StoryModel;
const fmt = (value: number) => value.toFixed(3);
// F1 to four places: a target of 0.90 missed by 0.0003 must not print as met.
const fmtF1 = (value: number) => value.toFixed(4);

function row(label: string, stream: LabelledStream, model: StoryModel) {
  const s = scoreStream(stream, model);
  console.log(
    `${label.padEnd(44)} ${fmt(s.precision)}  ${fmt(s.recall)}  ${fmtF1(s.f1)} ${fmt(s.singletons)}  ${String(s.stories).padStart(6)}/${String(s.goldStories).padEnd(6)} ${Math.round(s.docsPerSecond).toString().padStart(7)}`,
  );
}

console.log(
  `model v${DEFAULT_STORY_MODEL.version}, fitted on ${DEFAULT_STORY_MODEL.fittedOn}, threshold ${DEFAULT_STORY_MODEL.threshold}`,
);
console.log(`${'run'.padEnd(44)} P      R      F1     single  found/gold     docs/s`);
const loaded = { gva: loadGva(), uci: loadUci() };
for (const [name, dataset] of Object.entries(loaded)) {
  if (!dataset) {
    console.log(`${name}: skipped, the dataset is not beside the repository`);
    continue;
  }
  const { held } = splitByTime(dataset);
  const other = name === 'gva' ? 'uci' : 'gva';
  row(`${dataset.name} held apart (${held.documents.length} docs)`, held, DEFAULT_STORY_MODEL);
  row(`  same, model fit on ${other} only (cross)`, held, oneSetModel(other));
  row(`  same, model fit on ${name} only`, held, oneSetModel(name));
  // The whole stream includes the fit events: shown for the small set only, never as the result.
  if (dataset.documents.length <= 10_000)
    row(`  whole stream (includes the fit events)`, dataset, DEFAULT_STORY_MODEL);
}

const seeds = loadSeeds();
if (!seeds) console.log('seeds: skipped, ../shared/seeds is not beside the repository');
else {
  let exact = 0;
  const orders = permutations(seeds.documents);
  for (const order of orders) {
    const s = scoreStream({ name: 'seeds', documents: order }, DEFAULT_STORY_MODEL);
    if (s.f1 === 1) exact += 1;
  }
  row('seeds (publication order)', seeds, DEFAULT_STORY_MODEL);
  console.log(`seeds: exactly the two true stories in ${exact} of ${orders.length} arrival orders`);
  // The same in an index that has counted other documents first (the earliest gva articles, not
  // clustered): there the seeds' officials are rare names, which `mayMerge` reads; the titles,
  // which name none of them, keep the two stories apart.
  const counted = (loaded.gva?.documents.slice(0, 1000) ?? []).map((doc) =>
    frequencyKeys(fieldTermCounts(doc)),
  );
  if (counted.length > 0) {
    let inIndex = 0;
    for (const order of orders) {
      const s = scoreStream(
        { name: 'seeds', documents: order },
        DEFAULT_STORY_MODEL,
        undefined,
        undefined,
        counted,
      );
      if (s.f1 === 1) inIndex += 1;
    }
    console.log(
      `seeds after ${counted.length} other documents counted: exactly the two true stories in ${inIndex} of ${orders.length} arrival orders`,
    );
  }
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
