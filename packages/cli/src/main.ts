import { API_URL_HELP, commands } from './commands/index';
import { guardClosedStdout } from './output';

const HELP = (names: string) => `sluice — news ingestion: fetch, clean, extract, de-duplicate, group, search.

Usage: sluice <command> [options]

Commands:
${names}

${API_URL_HELP}

Run "sluice <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  guardClosedStdout();
  const [name, ...rest] = argv;
  const width = Math.max(...commands.map((command) => command.name.length));
  const listing = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP(listing));
    return name ? 0 : 1;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    console.error(`sluice: unknown command "${name}"\n\n${HELP(listing)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: ${entry.usage}\n\n${entry.summary}\n\n${API_URL_HELP}`);
    return 0;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (error) {
    console.error(`sluice ${name}: ${(error as Error).message}`);
    return 1;
  }
}
