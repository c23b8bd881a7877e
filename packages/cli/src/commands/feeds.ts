import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { type Command, FEEDS_USAGE as USAGE } from './index';

interface FeedView {
  id: string;
  url: string;
  title: string | null;
  status: string;
  intervalMs: number;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  itemsSeen: number;
  nextPollAt?: string | null;
  /** Why the next poll is when it is (cadence learnt, <ttl>, Retry-After, back-off). */
  nextPollReason?: string | null;
  events?: EventView[];
}

/** A recorded failure, refusal, skip or change of status (newest first, as the API sends them). */
export interface EventView {
  at: string;
  kind: string;
  code: string | null;
  message: string | null;
  url: string | null;
}

/** Event lines for `show`: time, kind, code, message, and the address when it is not the subscription's. */
export function describeEvents(events: EventView[] | undefined): string[] {
  if (!events || events.length === 0) return ['  (no failures, refusals or skips recorded)'];
  return events.map((event) => {
    const code = event.code ? ` ${event.code}` : '';
    const where = event.url ? ` [${event.url}]` : '';
    return `  ${event.at}  ${event.kind.padEnd(8)}${code}: ${event.message ?? ''}${where}`;
  });
}

export const feedsCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'full-content': { type: 'boolean', default: false },
        'no-discover': { type: 'boolean', default: false },
      },
    });
    const [action, target] = positionals;
    switch (action) {
      case 'add': {
        if (!target) throw new Error('usage: sluice feeds add URL');
        const response = await callApi('POST', '/feeds', {
          url: target,
          fullContent: values['full-content'],
          discover: !values['no-discover'],
        });
        const feed = (await response.json()) as FeedView;
        console.log(`${response.status === 201 ? 'added' : 'already subscribed'} ${feed.id} ${feed.url}`);
        return 0;
      }
      case 'list': {
        const { feeds } = (await (await callApi('GET', '/feeds')).json()) as { feeds: FeedView[] };
        if (values.json) console.log(JSON.stringify(feeds, null, 2));
        else for (const feed of feeds) console.log(describeFeed(feed));
        return 0;
      }
      case 'show': {
        if (!target) throw new Error('usage: sluice feeds show ID');
        const feed = (await (
          await callApi('GET', `/feeds/${encodeURIComponent(target)}`)
        ).json()) as FeedView;
        if (values.json) {
          console.log(JSON.stringify(feed, null, 2));
          return 0;
        }
        console.log(describeFeed(feed));
        if (feed.title) console.log(`title: ${feed.title}`);
        console.log(`last success: ${feed.lastSuccessAt ?? 'never'}, next poll: ${feed.nextPollAt ?? 'now'}`);
        if (feed.nextPollReason) console.log(`why then: ${feed.nextPollReason}`);
        console.log('recent events:');
        for (const line of describeEvents(feed.events)) console.log(line);
        return 0;
      }
      case 'remove': {
        if (!target) throw new Error('usage: sluice feeds remove ID');
        await callApi('DELETE', `/feeds/${encodeURIComponent(target)}`);
        console.log(`removed ${target}`);
        return 0;
      }
      case 'refresh': {
        if (!target) throw new Error('usage: sluice feeds refresh ID');
        await callApi('POST', `/feeds/${encodeURIComponent(target)}/refresh`);
        console.log(`poll queued for ${target}`);
        return 0;
      }
      case 'import': {
        if (!target) throw new Error('usage: sluice feeds import FILE.opml');
        const opml = await readFile(target, 'utf8');
        const result = (await (await callApi('POST', '/feeds/import', opml, 'text/xml')).json()) as {
          found: number;
          added: number;
          refused: { url: string; error: string }[];
        };
        console.log(`${result.found} feeds in ${target}: ${result.added} added`);
        for (const refused of result.refused) console.log(`refused ${refused.url}: ${refused.error}`);
        return 0;
      }
      case 'export': {
        process.stdout.write(await (await callApi('GET', '/feeds/export.opml')).text());
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  },
};

function describeFeed(feed: FeedView): string {
  const every = `every ${Math.round(feed.intervalMs / 60_000)} min`;
  const health =
    feed.status === 'active' && feed.consecutiveFailures === 0
      ? `ok, ${feed.itemsSeen} items`
      : `${feed.consecutiveFailures} failures${feed.lastError ? `: ${feed.lastError}` : ''}`;
  return `${feed.id}  ${feed.status.padEnd(8)} ${every.padEnd(16)} ${feed.url}  (${health})`;
}
