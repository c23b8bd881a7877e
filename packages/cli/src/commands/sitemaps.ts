import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { describeEvents, type EventView } from './feeds';
import { type Command, SITEMAPS_USAGE as USAGE } from './index';

interface SitemapView {
  id: string;
  url: string;
  status: string;
  urlsSeen: number;
  consecutiveFailures: number;
  lastError: string | null;
  events?: EventView[];
}

export const sitemapsCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [action, target] = positionals;
    switch (action) {
      case 'add': {
        if (!target) throw new Error('usage: sluice sitemaps add URL');
        const sitemap = (await (await callApi('POST', '/sitemaps', { url: target })).json()) as SitemapView;
        console.log(`added ${sitemap.id} ${sitemap.url}`);
        return 0;
      }
      case 'list': {
        const { sitemaps } = (await (await callApi('GET', '/sitemaps')).json()) as {
          sitemaps: SitemapView[];
        };
        if (values.json) console.log(JSON.stringify(sitemaps, null, 2));
        else {
          for (const sitemap of sitemaps) {
            const health = sitemap.lastError
              ? `${sitemap.consecutiveFailures} failures: ${sitemap.lastError}`
              : 'ok';
            console.log(
              `${sitemap.id}  ${sitemap.status.padEnd(8)} ${sitemap.url}  (${sitemap.urlsSeen} URLs, ${health})`,
            );
          }
        }
        return 0;
      }
      case 'show': {
        if (!target) throw new Error('usage: sluice sitemaps show ID');
        const sitemap = (await (
          await callApi('GET', `/sitemaps/${encodeURIComponent(target)}`)
        ).json()) as SitemapView;
        if (values.json) {
          console.log(JSON.stringify(sitemap, null, 2));
          return 0;
        }
        console.log(`${sitemap.id}  ${sitemap.status.padEnd(8)} ${sitemap.url}  (${sitemap.urlsSeen} URLs)`);
        console.log('recent events:');
        for (const line of describeEvents(sitemap.events)) console.log(line);
        return 0;
      }
      case 'remove': {
        if (!target) throw new Error('usage: sluice sitemaps remove ID');
        await callApi('DELETE', `/sitemaps/${encodeURIComponent(target)}`);
        console.log(`removed ${target}`);
        return 0;
      }
      case 'refresh': {
        if (!target) throw new Error('usage: sluice sitemaps refresh ID');
        await callApi('POST', `/sitemaps/${encodeURIComponent(target)}/refresh`);
        console.log(`poll queued for ${target}`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  },
};
