import { exportCommand } from './export';
import { extractCommand } from './extract';
import { feedsCommand } from './feeds';
import { ingestCommand } from './ingest';
import { searchCommand } from './search';
import { sitemapsCommand } from './sitemaps';
import { startCommand } from './start';
import { storiesCommand } from './stories';
import { webhooksCommand } from './webhooks';

/** A `sluice` sub-command. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Every sub-command, in the order `sluice --help` lists them. Add a command file and list it here. */
export const commands: Command[] = [
  startCommand,
  ingestCommand,
  extractCommand,
  feedsCommand,
  sitemapsCommand,
  searchCommand,
  storiesCommand,
  exportCommand,
  webhooksCommand,
];
