import { parseArgs } from 'node:util';
import type { SearchHit, SearchResult } from '@sluice/store';
import { callApi } from '../api-client';
import type { Command } from './index';

/** What the API answers (the store's own types); the CLI prints a hit without its language. */
type Hit = Omit<SearchHit, 'lang'>;
type SearchAnswer = Omit<SearchResult, 'facets'> & {
  facets?: Record<string, { value?: string; name?: string; count: number }[]>;
};

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : `*${text}*`);
const dim = (text: string) => (process.stdout.isTTY ? `\u001b[2m${text}\u001b[22m` : text);

/** The API's HTML snippet as terminal text: marks in bold, entities decoded. */
export function terminalSnippet(html: string): string {
  return html
    .replace(/<mark>(.*?)<\/mark>/g, (_, text: string) => bold(text))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** One result as a few readable lines. */
export function formatHit(hit: Hit, rank: number): string {
  const when = hit.publishedAt ? hit.publishedAt.slice(0, 10) : 'undated';
  return [
    `${String(rank).padStart(3)}. ${bold(hit.title ?? '(untitled)')}`,
    `     ${dim(`${hit.source ?? 'unknown source'} · ${when} · score ${hit.score.toFixed(3)} · ${hit.id}`)}`,
    `     ${terminalSnippet(hit.snippet)}`,
    hit.url ? `     ${dim(hit.url)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'Full-text search of the index',
  usage: `sluice search QUERY [--source S] [--lang xx] [--from DATE] [--to DATE] [--entity ID] [--story ID]
              [--one-per-story] [--facets] [--limit N] [--cursor C] [--json]
  QUERY uses web-search syntax: words, "a phrase", -excluded, or.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        lang: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        entity: { type: 'string' },
        story: { type: 'string' },
        'one-per-story': { type: 'boolean' },
        facets: { type: 'boolean' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const query = new URLSearchParams();
    if (positionals.length > 0) query.set('q', positionals.join(' '));
    for (const key of ['source', 'lang', 'from', 'to', 'entity', 'story', 'limit', 'cursor'] as const) {
      if (values[key]) query.set(key, values[key]);
    }
    if (values['one-per-story']) query.set('onePerStory', '1');
    if (values.facets) query.set('facets', '1');
    const answer = (await (await callApi('GET', `/search?${query}`)).json()) as SearchAnswer;
    if (values.json) {
      console.log(JSON.stringify(answer, null, 2));
      return 0;
    }
    console.log(
      answer.approximate
        ? `about ${answer.total} results (ranked among the newest matches)\n`
        : `${answer.total} result${answer.total === 1 ? '' : 's'}\n`,
    );
    for (const [index, hit] of answer.hits.entries()) console.log(`${formatHit(hit, index + 1)}\n`);
    for (const [name, counts] of Object.entries(answer.facets ?? {})) {
      if (counts.length === 0) continue;
      console.log(
        `${bold(name)}: ${counts.map((count) => `${count.value ?? count.name} (${count.count})`).join(', ')}`,
      );
    }
    if (answer.nextCursor) console.log(dim(`\nmore: sluice search ... --cursor ${answer.nextCursor}`));
    return 0;
  },
};
