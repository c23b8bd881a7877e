import { checkUrl } from '@sluice/http';
import { describe, expect, it } from 'vitest';
import { allowDemoFeed, DEMO_FEED_TITLE, demoFeedWanted } from './demo-feed';

describe('the demo feed', () => {
  it('is served only when it is what will be polled, unless the setting says otherwise', () => {
    const none = { opmlFile: undefined, feedTitles: [] };
    expect(demoFeedWanted({ setting: 'auto', ...none })).toBe(true);
    expect(demoFeedWanted({ setting: 'auto', opmlFile: 'feeds.opml', feedTitles: [] })).toBe(false);
    expect(demoFeedWanted({ setting: 'auto', opmlFile: undefined, feedTitles: ['BBC News'] })).toBe(false);
    expect(demoFeedWanted({ setting: 'auto', opmlFile: 'feeds.opml', feedTitles: [DEMO_FEED_TITLE] })).toBe(
      true,
    );
    expect(demoFeedWanted({ setting: 'off', ...none })).toBe(false);
    expect(demoFeedWanted({ setting: 'on', opmlFile: 'feeds.opml', feedTitles: ['BBC News'] })).toBe(true);
  });

  it("lets the fetcher reach the demo server's port and nothing else on loopback", () => {
    const env: NodeJS.ProcessEnv = { FETCH_ALLOWED_PORTS: '8080' };
    const demo = {
      feedUrl: 'http://127.0.0.1:3999/feed.xml',
      origin: '',
      allowHost: '127.0.0.1',
      port: 3999,
      close: async () => {},
    };
    allowDemoFeed(demo, env);
    allowDemoFeed(demo, env); // a second call adds nothing
    expect(env.FETCH_ALLOW_PRIVATE).toBe('127.0.0.1:3999');
    expect(env.FETCH_ALLOWED_PORTS).toBe('8080,3999');
    const policy = {
      allowPrivateHosts: (env.FETCH_ALLOW_PRIVATE as string).split(','),
      allowedPorts: (env.FETCH_ALLOWED_PORTS as string).split(',').map(Number),
    };
    expect(() => checkUrl(demo.feedUrl, policy)).not.toThrow();
    for (const url of ['http://127.0.0.1/', 'https://127.0.0.1/', 'http://127.0.0.1:8080/'])
      expect(() => checkUrl(url, policy)).toThrow(/not a public address/);
  });
});
