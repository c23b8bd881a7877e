/**
 * Fits the story model on the earlier events of each labelled dataset (the later ones are left
 * for bench:stories to score) and writes src/story-model.json: the article model fit on
 * gva-news-stories, with the headline model fit on uci-news-2014-03 inside it. The one-dataset
 * models go to bench/models/ for the cross-dataset scores. Usage: npm run fit:stories
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FIT_SETTINGS, fitStoryModel, scoreStream } from '../src/fit-story-model';
import { fieldTermCounts, frequencyKeys, frequencyPriorOf, type StoryModel } from '../src/index';
import { loadGva, loadUci, splitByTime } from './story-datasets';

const here = dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const gva = loadGva();
const uci = loadUci();
if (!gva || !uci) {
  console.log(
    'fit:stories needs ../shared/datasets/gva-news-stories and uci-news-2014-03 beside the repository',
  );
  process.exit(1);
}
const gvaSplit = splitByTime(gva);
const uciSplit = splitByTime(uci);
const written: string[] = [];
const write = (name: string, model: unknown) => {
  const file = join(here, '..', name);
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  written.push(file);
};
const log = (line: string) => console.log(`  ${line}`);
console.log(`datasets read in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// Background document frequencies from both fit splits, so a young index weighs terms as a mature one.
const prior = frequencyPriorOf(
  [...gvaSplit.fit.documents, ...uciSplit.fit.documents].map((doc) => frequencyKeys(fieldTermCounts(doc))),
);
write('src/story-frequency-prior.json', prior);
// Articles: a week. Local incidents are followed up for weeks (arrests, charges), and a 60-day
// window scores gva a little higher (held-apart F1 0.898 against 0.887), but it joins reports of
// one diplomatic thread a week apart (the seeds 000-002 and 003-004) into one story.
// The repair pass merges follow-ups up to 60 days apart, and past the week only stories sharing a
// source (an outlet following up its own report; `mayMerge`). Measured on the fit split: no merges
// 0.865; 60 days, any source 0.883 but the seeds' two stories merge (p >= 0.99, in every order);
// 60 days, shared source 0.877; 365 days, shared source 0.879 for five times the look-up keys.
// Past the week, stories naming the same rare person in full, headlined by one of them, may merge
// too (a victim's or a suspect's name; `mayMerge`): how rare is chosen with the merge probability
// on the fit split (2026-12-02: share 0.03 at 0.98, 0.8788, against 0.8766 without). Without the
// headline condition 0.8818, but the seeds merge once the index has counted other documents
// (their quoted officials are rare names there; bench:stories prints both seeds lines).
const articles = fitStoryModel(
  [gvaSplit.fit],
  { ...DEFAULT_FIT_SETTINGS, windowHours: 7 * 24, mergeWindowHours: 60 * 24 },
  undefined,
  log,
  prior,
);
// Headlines: a dense wire stream; two weeks covers the stories of one news cycle.
const headlines = fitStoryModel(
  [uciSplit.fit],
  { ...DEFAULT_FIT_SETTINGS, windowHours: 14 * 24 },
  undefined,
  log,
  prior,
);
const shipped: StoryModel = {
  ...articles,
  fittedOn: `${articles.fittedOn}; headlines: ${headlines.fittedOn}`,
  headlines,
};
write('src/story-model.json', shipped);
write('bench/models/gva.json', articles);
write('bench/models/uci.json', headlines);
// The repository's formatter lays the files out, so a refit diffs cleanly against the shipped ones.
execFileSync('npx', ['biome', 'format', '--write', ...written], { stdio: 'ignore' });
console.log(`fitted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const split of [gvaSplit.held, uciSplit.held]) {
  const scores = scoreStream(split, shipped, prior);
  console.log(
    `${split.name}: F1 ${scores.f1.toFixed(3)} (P ${scores.precision.toFixed(3)}, R ${scores.recall.toFixed(3)})`,
  );
}
