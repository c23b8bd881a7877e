import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { apiUrl } from '../api-client';
import type { Command } from './index';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Writes a chunk, waiting while stdout is full; false once the reader has gone (EPIPE). */
function writeOut(chunk: Uint8Array, closed: { value: boolean }): Promise<boolean> {
  if (closed.value) return Promise.resolve(false);
  if (process.stdout.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      process.stdout.off('drain', done);
      process.stdout.off('error', done);
      resolve(!closed.value);
    };
    process.stdout.once('drain', done);
    process.stdout.once('error', done);
  });
}

export const exportCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        since: { type: 'string' },
        state: { type: 'string' },
        type: { type: 'string', default: 'documents' },
        source: { type: 'string' },
        lang: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        entity: { type: 'string' },
        story: { type: 'string' },
        'include-duplicates': { type: 'boolean' },
      },
    });
    const query = new URLSearchParams({ type: values.type });
    if (positionals.length > 0) query.set('q', positionals.join(' '));
    for (const key of ['source', 'lang', 'from', 'to', 'entity', 'story'] as const)
      if (values[key]) query.set(key, values[key]);
    if (values['include-duplicates']) query.set('includeDuplicates', '1');
    const since =
      values.since ??
      (values.state && existsSync(values.state) ? readFileSync(values.state, 'utf8').trim() : '');
    if (since) query.set('since', since);

    const aborter = new AbortController();
    const url = `${apiUrl()}/export?${query}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: aborter.signal });
    } catch (error) {
      throw new Error(
        `cannot reach the Sluice API at ${apiUrl()} (set SLUICE_API_URL, or run \`sluice start\`): ${(error as Error).message}`,
      );
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {}
      throw new Error(`${response.status} ${message}`);
    }
    const nextSince = response.headers.get('sluice-next-since');

    // A reader that goes away (`| head`) ends the export quietly: that is how pipes say "enough".
    const closed = { value: false };
    const onError = (error: NodeJS.ErrnoException) => {
      closed.value = true;
      if (error.code !== 'EPIPE') console.error(`sluice export: stdout: ${error.message}`);
    };
    process.stdout.on('error', onError);
    let lines = 0;
    try {
      for await (const chunk of response.body) {
        for (const byte of chunk) if (byte === 10) lines += 1;
        if (!(await writeOut(chunk, closed))) break;
      }
    } finally {
      if (closed.value) aborter.abort();
    }
    if (closed.value) return 0;
    const what = values.type === 'stories' ? 'story' : 'document';
    const count =
      values.type === 'stories' ? `${lines} ${lines === 1 ? 'story' : 'stories'}` : plural(lines, what);
    if (nextSince && values.state) {
      writeFileSync(`${values.state}.tmp`, `${nextSince}\n`);
      renameSync(`${values.state}.tmp`, values.state);
    }
    console.error(
      `sluice export: ${count}; next time: --since ${nextSince}${values.state ? ` (saved in ${values.state})` : ''}`,
    );
    return 0;
  },
};
