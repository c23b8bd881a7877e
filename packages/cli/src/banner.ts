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
    `  Search:     ${facts.url}/search?q=bridge`,
    `  Dashboard:  ${facts.url}/queues`,
    `  Feeds:      ${facts.url}/feeds${facts.demoFeedUrl ? `   (demo feed: ${facts.demoFeedUrl})` : ''}`,
    `  CLI:        npx sluice search bridge   (finds this instance through ${facts.dataDir};`,
    `              from another folder: SLUICE_API_URL=${facts.url} npx sluice ...)`,
    '  Status:     npx sluice status',
    `PID ${facts.pid}, data in ${facts.dataDir}. Press Ctrl+C to stop.`,
    '',
  ].join('\n');
}
