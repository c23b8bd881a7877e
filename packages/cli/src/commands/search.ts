import type { SearchHit, SearchResult } from '@sluice/store';
import { callApi } from '../api-client';
import { count } from '../output';
import type { Command } from './index';

const VALUE_OPTIONS = ['source', 'lang', 'from', 'to', 'entity', 'story', 'limit', 'cursor'] as const;
const FLAG_OPTIONS = ['one-per-story', 'facets', 'json'] as const;
type SearchOptions = Partial<Record<(typeof VALUE_OPTIONS)[number], string>> &
  Partial<Record<(typeof FLAG_OPTIONS)[number], boolean>>;

/**
 * Every word after `search` is the query, `-excluded` words included; only the named `--options`
 * are options, and after `--` nothing is. An unknown `--option` is an error rather than a word.
 */
export function parseSearchArgs(argv: string[]): { values: SearchOptions; words: string[] } {
  const values: SearchOptions = {};
  const words: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') {
      words.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s) as [string, string | undefined];
    if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
      values[name as (typeof FLAG_OPTIONS)[number]] = true;
    } else if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values[name as (typeof VALUE_OPTIONS)[number]] = value;
    } else {
      throw new Error(
        `unknown option --${name} (to search for it, put -- before the query: sluice search -- --${name})`,
      );
    }
  }
  return { values, words };
}

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
    `     ${dim(`${sourceOf(hit)} · ${when} · score ${hit.score.toFixed(3)} · ${hit.id}`)}`,
    `     ${terminalSnippet(hit.snippet)}`,
    hit.url ? `     ${dim(hit.url)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A word the shell unquoted but that holds spaces was a phrase: quote it again. */
const quoteIfSpaced = (word: string) => (/\s/.test(word) && !word.includes('"') ? `"${word}"` : word);

/** The source to show: the document's own, else its host. */
const sourceOf = (hit: Hit) => {
  if (hit.source) return hit.source;
  try {
    return hit.url ? new URL(hit.url).hostname.replace(/^www\./, '') : 'unknown source';
  } catch {
    return 'unknown source';
  }
};

export const searchCommand: Command = {
  async run(argv) {
    const { values, words } = parseSearchArgs(argv);
    const query = new URLSearchParams();
    if (words.length > 0) query.set('q', words.map(quoteIfSpaced).join(' '));
    for (const key of VALUE_OPTIONS) {
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
        ? `about ${count(answer.total, 'result')} (ranked among the newest matches)\n`
        : `${count(answer.total, 'result')}\n`,
    );
    for (const [index, hit] of answer.hits.entries()) console.log(`${formatHit(hit, index + 1)}\n`);
    for (const [name, counts] of Object.entries(answer.facets ?? {})) {
      if (counts.length === 0) continue;
      console.log(
        `${bold(name)}: ${counts.map((facet) => `${facet.value ?? facet.name} (${facet.count})`).join(', ')}`,
      );
    }
    if (answer.nextCursor) console.log(dim(`\nmore: sluice search ... --cursor ${answer.nextCursor}`));
    return 0;
  },
};
