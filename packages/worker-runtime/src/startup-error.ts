import { ConfigError } from '@sluice/config';

/**
 * Ends a process that could not start: a configuration error is printed as its list of bad
 * variables (no stack trace to dig through), anything else with its message. Exit code 78 is
 * EX_CONFIG, so supervisors can tell "misconfigured" from "crashed".
 */
export function exitOnStartupError(service: string, error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`${service}: ${error.message}`);
    process.exit(78);
  }
  console.error(`${service}: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
