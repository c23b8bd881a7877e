import { parseArgs } from 'node:util';
import type { StoryDetail, StorySummary } from '@sluice/store';
import { callApi } from '../api-client';
import { count } from '../output';
import type { Command } from './index';

/** The API's story shapes (the store's own types), as far as the CLI prints them. */
type StoryCard = Omit<StorySummary, 'topEntities'> & {
  topEntities: Pick<StorySummary['topEntities'][number], 'name' | 'documents'>[];
};
type StoryView = StoryCard &
  Pick<StoryDetail, 'entities'> &
  Partial<Pick<StoryDetail, 'history' | 'resolvedFrom'>> & {
    timeline: Pick<
      StoryDetail['timeline'][number],
      'id' | 'title' | 'source' | 'at' | 'dateKnown' | 'duplicateOf'
    >[];
  };

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text);
const dim = (text: string) => (process.stdout.isTTY ? `\u001b[2m${text}\u001b[22m` : text);
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/**
 * The story's span from its dated documents only ("2010-07-02 14:30 → 2010-07-03 09:00"), and how
 * many are undated: an undated document, placed by when it was first seen, never stretches it.
 */
export function formatSpan(story: Pick<StoryCard, 'publishedSpan' | 'undatedDocuments'>): string {
  const span = story.publishedSpan
    ? `${minute(story.publishedSpan.from)} → ${minute(story.publishedSpan.to)}`
    : 'no dated documents';
  const undated = story.undatedDocuments ?? 0;
  return undated > 0 ? `${span} (+${undated} undated)` : span;
}

export function formatStorySummary(story: StoryCard): string {
  const entities = story.topEntities.map((entity) => entity.name).join(', ');
  return [
    bold(story.headline ?? '(no headline)'),
    `  ${dim(`${count(story.documentCount, 'document')} · ${count(story.sourceCount, 'source')} · ${formatSpan(story)} · ${story.id}`)}`,
    entities ? `  ${dim(`about: ${entities}`)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

const short = (id: string | null) => (id ? id.slice(0, 12) : '?');

/** One repair of the story, as an editor reads it. */
export function formatRepair(entry: StoryDetail['history'][number]): string {
  const sure = entry.probability === null ? '' : dim(` (p ${entry.probability.toFixed(2)})`);
  const what = {
    absorbed: `merged from story ${short(entry.otherStoryId)}`,
    'merged-into': `story merged into ${short(entry.otherStoryId)}`,
    detached: `detached document ${short(entry.documentId)} into story ${short(entry.otherStoryId)}`,
    'split-from': `document ${short(entry.documentId)} split from story ${short(entry.otherStoryId)}`,
  }[entry.action];
  return `    ${minute(entry.at)}  ${what ?? entry.action}${sure}`;
}

export function formatStoryDetail(story: StoryView): string {
  const lines = [
    formatStorySummary(story),
    // A merged id the user held resolves to the story it was merged into.
    ...(story.resolvedFrom ? [`  ${dim(`(story ${story.resolvedFrom} was merged into this one)`)}`] : []),
    '',
    `  sources: ${story.sources.join(', ') || '-'}`,
    '',
    '  timeline:',
  ];
  for (const item of story.timeline) {
    const copy = item.duplicateOf ? dim(` (copy of ${item.duplicateOf.slice(0, 8)})`) : '';
    // An undated document sits where it was first seen, marked so nobody reads that as its date.
    const undated = item.dateKnown === false ? dim(' (undated: first seen)') : '';
    lines.push(
      `    ${minute(item.at)}  ${item.title ?? '(untitled)'}  ${dim(item.source ?? '')}${undated}${copy}`,
    );
  }
  if (story.history && story.history.length > 0)
    lines.push('', '  repairs:', ...story.history.map(formatRepair));
  if (story.entities.length > 0) {
    lines.push(
      '',
      `  entities: ${story.entities.map((entity) => `${entity.name} (${entity.documents})`).join(', ')}`,
    );
  }
  return lines.join('\n');
}

export const storiesCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        q: { type: 'string' },
        entity: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        merge: { type: 'string' },
      },
    });
    if (values.merge && !positionals[0])
      throw new Error('--merge needs the story to merge into: stories ID --merge FROM_ID');
    if (positionals[0]) {
      const path = `/stories/${encodeURIComponent(positionals[0])}`;
      const response = values.merge
        ? await callApi('POST', `${path}/merge`, { from: values.merge })
        : await callApi('GET', path);
      const story = (await response.json()) as StoryDetail;
      console.log(values.json ? JSON.stringify(story, null, 2) : formatStoryDetail(story));
      return 0;
    }
    const query = new URLSearchParams();
    for (const key of ['q', 'entity', 'since', 'limit'] as const)
      if (values[key]) query.set(key, values[key]);
    const { stories } = (await (await callApi('GET', `/stories?${query}`)).json()) as {
      stories: StorySummary[];
    };
    if (values.json) {
      console.log(JSON.stringify(stories, null, 2));
      return 0;
    }
    if (stories.length === 0) console.log('no stories');
    for (const story of stories) console.log(`${formatStorySummary(story)}\n`);
    return 0;
  },
};
