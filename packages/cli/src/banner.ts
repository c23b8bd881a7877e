/** What the banner says about a running instance. */
export interface BannerFacts {
  url: string;
  pid: number;
  dataDir: string;
  demoFeedUrl: string | null;
}

/**
 * The lines `sluice start` prints once everything listens (and `sluice status` repeats): the
 * home page first, and how the CLI finds this instance from elsewhere.
 */
export function banner(facts: BannerFacts): string {
  const home = `${facts.url}/`;
  return [
    '',
    `Sluice is running: ${home}`,
    `  Stories:    ${facts.url}/web/stories`,
    `  Feeds:      ${facts.url}/web/feeds${facts.demoFeedUrl ? `   (demo feed: ${facts.demoFeedUrl})` : ''}`,
    `  Pipeline:   ${facts.url}/web/pipeline   (every job: ${facts.url}/queues)`,
    `  API:        ${facts.url}/search?q=bridge`,
    `  CLI:        npx sluice search bridge   (finds this instance through ${facts.dataDir};`,
    `              from another folder: SLUICE_API_URL=${facts.url} npx sluice ...)`,
    '  Status:     npx sluice status',
    `PID ${facts.pid}, data in ${facts.dataDir}. Press Ctrl+C to stop.`,
    '',
  ].join('\n');
}
