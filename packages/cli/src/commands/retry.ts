import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { type Command, RETRY_USAGE as USAGE } from './index';

const DURATION = /^(\d+)\s*(m|min|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO time, or a duration back from `now` such as `30m`, `2h` or `7d`. */
export function sinceTime(value: string, now = Date.now()): string {
  const duration = DURATION.exec(value.trim());
  if (duration)
    return new Date(now - Number(duration[1]) * (UNIT_MS[duration[2] as string] as number)).toISOString();
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new Error(`--since: "${value}" is neither a time nor a duration like 2h`);
  return new Date(parsed).toISOString();
}

interface RetryFailedAnswer {
  found: number;
  requeued: string[];
  notRequeued: { id: string; reason: string }[];
}

export const retryCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        failed: { type: 'boolean', default: false },
        since: { type: 'string' },
        limit: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.failed) return retryFailed(values);
    if (positionals.length === 0) {
      console.error(`Usage: ${USAGE}`);
      return 2;
    }
    let failures = 0;
    for (const id of positionals) {
      try {
        const response = await callApi('POST', `/documents/${encodeURIComponent(id)}/retry`, {
          ...(values.force ? { force: true } : {}),
        });
        const answer = (await response.json()) as { id: string; stage: string };
        print(
          values.json,
          { id, status: 'queued', stage: answer.stage },
          `${id}  queued again from ${answer.stage}`,
        );
      } catch (error) {
        failures++;
        print(values.json, { id, error: (error as Error).message }, `${id}  ${(error as Error).message}`);
      }
    }
    return failures ? 1 : 0;
  },
};

async function retryFailed(values: { since?: string; limit?: string; json?: boolean }): Promise<number> {
  const body: { since?: string; limit?: number } = {};
  if (values.since) body.since = sinceTime(values.since);
  if (values.limit) body.limit = Number(values.limit);
  const answer = (await (await callApi('POST', '/documents/retry-failed', body)).json()) as RetryFailedAnswer;
  if (values.json) {
    console.log(JSON.stringify(answer));
  } else {
    const since = body.since ? ` since ${body.since}` : '';
    console.log(
      `${answer.found} failed document${answer.found === 1 ? '' : 's'}${since}; ${answer.requeued.length} queued again`,
    );
    for (const id of answer.requeued) console.log(`  ${id}`);
    for (const { id, reason } of answer.notRequeued) console.log(`  ${id}  not queued: ${reason}`);
  }
  return answer.notRequeued.length ? 1 : 0;
}

function print(json: boolean | undefined, record: Record<string, unknown>, line: string) {
  console.log(json ? JSON.stringify(record) : line);
}
