import { describe, expect, it } from 'vitest';
import { credentialHeaders } from './api-client';
import { banner } from './banner';
import { parseSearchArgs } from './commands/search';
import { manifestItem } from './ingest/inputs';
import { formatSummary } from './ingest/report';
import { count } from './output';

describe('CLI wording and arguments', () => {
  it('counts in good English', () => {
    expect(count(1, 'document')).toBe('1 document');
    expect(count(0, 'document')).toBe('0 documents');
    expect(count(20000, 'failure')).toBe('20,000 failures');
  });

  it('takes every search word as the query, negations included, and only named options as options', () => {
    expect(parseSearchArgs(['iran', '-nuclear', '--source', 'BBC', '--json'])).toEqual({
      words: ['iran', '-nuclear'],
      values: { source: 'BBC', json: true },
    });
    expect(parseSearchArgs(['--limit=5', '-n', '--', '--json'])).toEqual({
      words: ['-n', '--json'],
      values: { limit: '5' },
    });
    expect(() => parseSearchArgs(['--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseSearchArgs(['x', '--source'])).toThrow(/--source needs a value/);
  });

  it('reads manifest lines, reporting a bad one instead of failing', () => {
    expect(
      manifestItem(
        '{"file":"a.html","url":"https://x.example/a","publishedAt":"2024-05-02"}',
        'm.jsonl:1',
        '/data',
      ),
    ).toEqual({
      label: 'm.jsonl:1 a.html',
      file: '/data/a.html',
      url: 'https://x.example/a',
      source: undefined,
      publishedAt: '2024-05-02',
    });
    expect(manifestItem('{"text":"Hello"}', 'm.jsonl:2', '/data', 'Wire').source).toBe('Wire');
    expect(manifestItem('[1]', 'm.jsonl:3', '/data').problem).toMatch(/JSON object/);
    expect(
      manifestItem('{"url":"https://x.example/b","publishedAt":"soon"}', 'm.jsonl:4', '/data').problem,
    ).toMatch(/not a date/);
    expect(manifestItem('{"source":"x"}', 'm.jsonl:5', '/data').problem).toMatch(/"file", "text" or "url"/);
  });

  it('closes an ingest with a summary that says what is still under way', () => {
    const tally = {
      total: 300,
      indexed: 250,
      failed: 1,
      skipped: 0,
      pending: 40,
      unsent: 9,
      elapsedMs: 10_000,
    };
    expect(formatSummary(tally, 'Ctrl+C')).toBe(
      '300 documents: 250 indexed, 1 failed in 10.0 s (25.1 documents/s)\nstopped by Ctrl+C: 40 documents still in the pipeline (they carry on), 9 documents not sent',
    );
    expect(formatSummary({ ...tally, indexed: 1, total: 1, failed: 0, pending: 0, unsent: 0 }, null)).toBe(
      '1 document: 1 indexed, 0 failed in 10.0 s (0.1 documents/s)',
    );
  });

  it('sends a token, else basic credentials, else nothing', () => {
    expect(
      credentialHeaders({ SLUICE_API_TOKEN: 't0k', DASHBOARD_USER: 'u', DASHBOARD_PASSWORD: 'p' }),
    ).toEqual({
      authorization: 'Bearer t0k',
    });
    expect(credentialHeaders({ DASHBOARD_USER: 'u', DASHBOARD_PASSWORD: 'p' })).toEqual({
      authorization: 'Basic dTpw',
    });
    expect(credentialHeaders({})).toEqual({});
  });

  it('prints the home page first in the banner and names SLUICE_API_URL', () => {
    const text = banner({ url: 'http://127.0.0.1:3301', pid: 42, dataDir: '.data', demoFeedUrl: null });
    expect(text.split('\n')[1]).toBe('Sluice is running: http://127.0.0.1:3301/');
    expect(text).toContain('SLUICE_API_URL=http://127.0.0.1:3301 npx sluice');
  });
});
