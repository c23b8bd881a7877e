import { describe, expect, it } from 'vitest';
import { formatTerminalLine, showInTerminal } from './terminal';

describe('terminal log lines', () => {
  const record = {
    level: 30,
    time: '2026-03-01T09:15:02.123Z',
    msg: 'indexed',
    service: 'sluice',
    jobId: '9ffd0407d71cb4f148d4e92f75b8723c',
    queue: 'index',
    documentId: '9ffd0407d71cb4f148d4e92f75b8723c',
    action: 'inserted',
    storyId: 'a4b169295e252e63fa15b5a18ba9cfb8',
  };

  it('puts a document on one short line', () => {
    expect(formatTerminalLine(record, { colour: false, width: 200 })).toBe(
      '09:15:02 INFO  indexed  documentId=9ffd0407 action=inserted storyId=a4b16929',
    );
  });

  it('shows an error by its message and cuts long lines', () => {
    const line = formatTerminalLine(
      { level: 50, time: 0, msg: 'failed', err: { message: 'HTTP 503 from x', stack: 'at ...' } },
      { colour: false, width: 60 },
    );
    expect(line).toBe('00:00:00 ERROR failed  err="HTTP 503 from x"');
    expect(
      formatTerminalLine({ level: 30, time: 0, msg: 'x'.repeat(100) }, { colour: false, width: 20 }),
    ).toHaveLength(20);
  });

  it('keeps request lines for debug, warnings always', () => {
    expect(showInTerminal({ level: 30, time: 0, reqId: 'req-1' }, 30)).toBe(false);
    expect(showInTerminal({ level: 30, time: 0, reqId: 'req-1' }, 20)).toBe(true);
    expect(showInTerminal({ level: 40, time: 0, reqId: 'req-1' }, 30)).toBe(true);
    expect(showInTerminal(record, 30)).toBe(true);
  });
});
