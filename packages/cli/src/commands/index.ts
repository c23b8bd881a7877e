/** What a command module exports: `run` returns the process exit code. */
export interface Command {
  run(argv: string[]): Promise<number>;
}

/**
 * A `sluice` sub-command as `--help` lists it. The module is imported only when the command
 * runs, so `sluice --help` loads none of the pipeline.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  usage: string;
  load(): Promise<Command>;
}

export const API_URL_HELP = `The CLI talks to the Sluice API: SLUICE_API_URL, else the instance \`sluice start\` recorded in
SLUICE_DATA_DIR (default .data), else http://127.0.0.1:3000. Credentials: SLUICE_API_TOKEN, or
DASHBOARD_USER and DASHBOARD_PASSWORD.`;

export const FEEDS_USAGE = `sluice feeds add URL [--full-content] [--no-discover]
sluice feeds list [--json]
sluice feeds show ID [--json]
sluice feeds remove ID
sluice feeds refresh ID
sluice feeds import FILE.opml
sluice feeds export [> FILE.opml]`;

export const SITEMAPS_USAGE = `sluice sitemaps add URL        (sitemaps, sitemap indexes, Google News sitemaps, .xml.gz)
sluice sitemaps list [--json]
sluice sitemaps show ID [--json]
sluice sitemaps remove ID
sluice sitemaps refresh ID`;

/** Every sub-command, in the order `sluice --help` lists them. Add a command file and list it here. */
export const RETRY_USAGE = `sluice retry ID... [--force] [--json]
sluice retry --failed [--since 2h|3d|ISO-TIME] [--limit N] [--json]
  Runs documents again through the API: each ID from the stage where it failed (--force: from
  the start, even if it did not fail), or every failed document (--failed), those failed since
  a time or within a past duration (--since).`;

export const commands: CommandEntry[] = [
  {
    name: 'start',
    summary: 'Run everything on this machine: the three workers and the API with its dashboard',
    usage: 'sluice start',
    load: async () => (await import('./start')).startCommand,
  },
  {
    name: 'status',
    summary: 'The running instance: address, queues, feeds, recent failures',
    usage: 'sluice status [--json]',
    load: async () => (await import('./status')).statusCommand,
  },
  {
    name: 'ingest',
    summary: 'Send files (HTML or text), URLs or a manifest to the API; prints each outcome as it finishes',
    usage: `sluice ingest <file|dir|url>... [--manifest FILE.jsonl] [--url URL] [--source NAME]
              [--no-wait] [--json] [--timeout SECONDS] [--concurrency N]
  --manifest   JSON lines, one document each: {"file"|"text", "url", "source", "publishedAt"}
  --url        the address of a single file
  --no-wait    print the ids as queued and return at once
  --timeout    stop waiting after this many seconds (default: wait for every document)`,
    load: async () => (await import('./ingest')).ingestCommand,
  },
  {
    name: 'retry',
    summary: 'Run failed documents again (by id, or every failed one)',
    usage: RETRY_USAGE,
    load: async () => (await import('./retry')).retryCommand,
  },
  {
    name: 'extract',
    summary:
      'Offline: clean and extract JSON lines {id, url?, html?|text?|file?} from stdin (or FILE) to stdout',
    usage: 'sluice extract --jsonl [FILE]',
    load: async () => (await import('./extract')).extractCommand,
  },
  {
    name: 'feeds',
    summary: 'Subscribe to feeds, list them with their state, import or export OPML',
    usage: FEEDS_USAGE,
    load: async () => (await import('./feeds')).feedsCommand,
  },
  {
    name: 'sitemaps',
    summary: 'Follow sitemaps (indexes, Google News, gzip): add, list, show, remove, refresh',
    usage: SITEMAPS_USAGE,
    load: async () => (await import('./sitemaps')).sitemapsCommand,
  },
  {
    name: 'search',
    summary: 'Full-text search of the index',
    usage: `sluice search QUERY... [--source S] [--lang xx] [--from DATE] [--to DATE] [--entity ID] [--story ID]
              [--one-per-story] [--facets] [--limit N] [--cursor C] [--json]
  Every other word is the query, in web-search syntax: words, "a phrase", -excluded, or.
  sluice search iran -nuclear      (use -- before a query word that looks like an option)`,
    load: async () => (await import('./search')).searchCommand,
  },
  {
    name: 'stories',
    summary: 'Recent stories, or one story with its timeline; merge two stories that are one',
    usage: `sluice stories [--q QUERY] [--entity ID] [--since DATE] [--limit N] [--json]
sluice stories ID [--json]
sluice stories ID --merge FROM_ID [--json]   (FROM_ID's documents join story ID)`,
    load: async () => (await import('./stories')).storiesCommand,
  },
  {
    name: 'export',
    summary: 'Write documents (or stories) as NDJSON to stdout, all or only what changed since last time',
    usage: `sluice export [QUERY] [--since WATERMARK|DATE] [--state FILE] [--type documents|stories]
              [--source S] [--lang xx] [--from DATE] [--to DATE] [--entity ID] [--story ID] [--include-duplicates]
  Filters are search's. The watermark to pass as --since next time is printed on stderr;
  --state FILE reads it from FILE and writes the new one there after a complete export.
  Through the API at SLUICE_API_URL (default http://127.0.0.1:3000).`,
    load: async () => (await import('./export')).exportCommand,
  },
  {
    name: 'webhooks',
    summary:
      'Subscribe a URL to document and story events; list, inspect (delivery log) and delete subscriptions',
    usage: `sluice webhooks                                   list subscriptions
sluice webhooks add URL [--event E ...] [--q Q] [--source S] [--lang xx] [--entity ID] [--story ID]
                                                  events: document.indexed (default), story.created, story.updated
sluice webhooks show ID                           a subscription and its latest deliveries
sluice webhooks delete ID
  Add --json for the API's answer. Receivers on private addresses or other ports than 80/443 need
  WEBHOOK_ALLOW_PRIVATE / WEBHOOK_ALLOWED_PORTS where Sluice runs.`,
    load: async () => (await import('./webhooks')).webhooksCommand,
  },
];
