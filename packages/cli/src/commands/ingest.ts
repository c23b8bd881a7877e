import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  documentIdForRaw,
  documentIdForUrl,
  enqueueFetch,
  type QueueMap,
  type RawDocument,
} from '@sluice/contracts';
import {
  closeQueues,
  createProducerConnection,
  createQueues,
  documentStatusFromQueues,
  waitForRedis,
} from '@sluice/worker-runtime';
import { locateRedis } from '../redis-location';
import type { Command } from './index';

interface Submission {
  input: string;
  id: string;
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: "Enqueue files (HTML or text) or URLs; --wait prints each one's outcome",
  usage: 'sluice ingest <file|dir|url>... [--url URL] [--source NAME] [--wait] [--json] [--timeout SECONDS]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        source: { type: 'string' },
        wait: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '300' },
      },
    });
    if (positionals.length === 0) throw new Error('nothing to ingest: name files, directories or URLs');
    const inputs = await expandInputs(positionals);
    if (values.url && inputs.length !== 1) throw new Error('--url names the address of exactly one file');
    const redisUrl = locateRedis();
    const redis = createProducerConnection(redisUrl, 'sluice-cli');
    redis.on('error', () => {});
    try {
      await waitForRedis(redis, redisUrl, 5_000);
      const queues = createQueues(redis);
      const submissions: Submission[] = [];
      for (const input of inputs) {
        submissions.push(await submit(queues, input, { url: values.url, source: values.source }));
      }
      if (!values.wait) {
        for (const submission of submissions) print(values.json, { ...submission, status: 'queued' });
        await closeQueues(queues);
        return 0;
      }
      const outcomes = await waitForAll(queues, submissions, Number(values.timeout) * 1000);
      for (const outcome of outcomes) print(values.json, outcome);
      await closeQueues(queues);
      return outcomes.every((outcome) => outcome.status === 'indexed') ? 0 : 1;
    } finally {
      redis.disconnect();
    }
  },
};

async function expandInputs(paths: string[]): Promise<string[]> {
  const inputs: string[] = [];
  for (const path of paths) {
    if (/^https?:\/\//i.test(path)) {
      inputs.push(path);
      continue;
    }
    const info = await stat(path).catch(() => null);
    if (!info) throw new Error(`no such file, directory or URL: ${path}`);
    if (info.isDirectory()) {
      const names = (await readdir(path))
        .filter((name) => !name.startsWith('.') && !name.endsWith('.json'))
        .sort();
      for (const name of names) if ((await stat(join(path, name))).isFile()) inputs.push(join(path, name));
    } else {
      inputs.push(path);
    }
  }
  return inputs;
}

async function submit(
  queues: QueueMap,
  input: string,
  options: { url?: string; source?: string },
): Promise<Submission> {
  const source = options.source ?? null;
  const enqueuedAt = new Date().toISOString();
  if (/^https?:\/\//i.test(input)) {
    const id = documentIdForUrl(input);
    await enqueueFetch(queues, { documentId: id, url: input, source, enqueuedAt });
    return { input, id };
  }
  const raw = await readRaw(input);
  const id = documentIdForRaw(raw, options.url);
  await enqueueFetch(queues, { documentId: id, url: options.url ?? null, source, raw, enqueuedAt });
  return { input, id };
}

/** Files go as text when they are valid UTF-8, else as base64 bytes for the cleaner to decode. */
async function readRaw(path: string): Promise<RawDocument> {
  let bytes = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes.length === 0) throw new Error(`${path} is empty`);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { body: text, encoding: 'utf8', contentType: null };
  } catch {
    return { body: bytes.toString('base64'), encoding: 'base64', contentType: null };
  }
}

interface Outcome extends Submission {
  status: string;
  title?: string | null;
  error?: string | null;
}

async function waitForAll(
  queues: QueueMap,
  submissions: Submission[],
  timeoutMs: number,
): Promise<Outcome[]> {
  const deadline = Date.now() + timeoutMs;
  const outcomes = new Map<string, Outcome>();
  while (outcomes.size < submissions.length && Date.now() < deadline) {
    for (const submission of submissions) {
      if (outcomes.has(submission.input)) continue;
      const status = await documentStatusFromQueues(queues, submission.id);
      if (status.status === 'indexed') {
        const job = await queues.index.getJob(submission.id);
        const title = (job?.returnvalue as { title?: string | null } | undefined)?.title ?? null;
        outcomes.set(submission.input, { ...submission, status: 'indexed', title });
      } else if (status.status === 'failed') {
        outcomes.set(submission.input, { ...submission, status: 'failed', error: status.failedReason });
      } else if (status.status === 'skipped') {
        outcomes.set(submission.input, { ...submission, status: 'skipped', error: status.skippedReason });
      }
    }
    if (outcomes.size < submissions.length) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return submissions.map(
    (submission) =>
      outcomes.get(submission.input) ?? {
        ...submission,
        status: 'timeout',
        error: `not indexed within ${timeoutMs / 1000} s`,
      },
  );
}

function print(json: boolean | undefined, outcome: Outcome) {
  if (json) {
    console.log(JSON.stringify(outcome));
    return;
  }
  const detail =
    outcome.status === 'indexed' ? (outcome.title ?? '(untitled)') : (outcome.error ?? outcome.input);
  console.log(`${outcome.id}  ${outcome.status.padEnd(7)}  ${detail}`);
}
