/**
 * Streams the UCI News Aggregator March-2014 headlines (time order) through the StoryClusterer and
 * prints BCubed precision/recall/F1 against the dataset's story ids, documents per second and memory.
 * Usage: npm run bench:stories [-- --profile articles|headlines] [--limit N] [--threshold T] [--window H] [--decay H]
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bcubed, DEFAULT_STORY_SCORING, HEADLINE_STORY_SCORING, StoryClusterer } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, '../../../../shared/datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');
if (!existsSync(file)) {
  console.log(`skipped: ${file} is not there`);
  process.exit(0);
}
const option = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const limit = Number(option('limit') ?? Number.POSITIVE_INFINITY);
const scoring = { ...(option('profile') === 'articles' ? DEFAULT_STORY_SCORING : HEADLINE_STORY_SCORING) };
if (option('threshold')) scoring.threshold = Number(option('threshold'));
if (option('window')) scoring.windowHours = Number(option('window'));
if (option('decay')) scoring.decayHours = Number(option('decay'));

const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [id, title, , publisher, , story, , timestamp] = line.split('\t');
    return { id: id!, title: title!, publisher: publisher!, story: story!, time: Number(timestamp) };
  })
  .sort((a, b) => a.time - b.time || Number(a.id) - Number(b.id))
  .slice(0, limit);

const clusterer = new StoryClusterer(scoring);
const assigned = new Map<string, string>();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
for (const row of rows) {
  assigned.set(
    row.id,
    clusterer.add({ id: row.id, title: row.title, time: row.time, source: row.publisher }).storyId,
  );
}
const seconds = (performance.now() - started) / 1000;
const heapAfter = process.memoryUsage().heapUsed;

const predicted = new Map([...assigned].map(([id, storyId]) => [id, clusterer.resolve(storyId)]));
const gold = new Map(rows.map((row) => [row.id, row.story]));
const scores = bcubed(predicted, gold);
const fmt = (value: number) => value.toFixed(3);
console.log(`uci-news-2014-03: ${rows.length} headlines, ${new Set(gold.values()).size} gold stories`);
console.log(
  `profile ${option('profile') ?? 'headlines'}, threshold ${scoring.threshold}, window ${scoring.windowHours} h, decay ${scoring.decayHours} h`,
);
console.log(`stories found     ${new Set(predicted.values()).size}`);
console.log(`BCubed precision  ${fmt(scores.precision)}`);
console.log(`BCubed recall     ${fmt(scores.recall)}`);
console.log(`BCubed F1         ${fmt(scores.f1)}`);
console.log(`throughput        ${Math.round(rows.length / seconds)} docs/s (${seconds.toFixed(2)} s)`);
console.log(
  `memory            heap +${((heapAfter - heapBefore) / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
