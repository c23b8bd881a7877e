/** A pino record as JSON gives it. */
export type LogRecord = Record<string, unknown> & { level: number; time: string | number; msg?: string };

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 40: '33', 50: '31', 60: '31', 20: '2', 10: '2' };

/** Fields every line carries for machines, left off the terminal line. */
const HIDDEN = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'service',
  'name',
  'jobId',
  'job',
  'queue',
]);
/** Ids shown short: enough to find the document, not a third of the line. */
const SHORT_IDS = new Set(['documentId', 'storyId', 'feedId']);

function describeValue(key: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return SHORT_IDS.has(key) ? value.slice(0, 8) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ((key === 'err' || key === 'error') && typeof value === 'object')
    return String((value as { message?: unknown }).message ?? '');
  return JSON.stringify(value);
}

/**
 * One record as one terminal line: time, level, message, then its fields as key=value (ids
 * shortened, errors as their message), cut at `width`. Pretty for people; JSON stays for machines.
 */
export function formatTerminalLine(record: LogRecord, options: { colour: boolean; width: number }): string {
  const time = new Date(record.time).toISOString().slice(11, 19);
  const name = LEVEL_NAMES[record.level] ?? String(record.level);
  const colour = LEVEL_COLOURS[record.level];
  const level = options.colour && colour ? `\u001b[${colour}m${name.padEnd(5)}\u001b[0m` : name.padEnd(5);
  const fields: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key)) continue;
    const text = describeValue(key, value);
    if (text !== null) fields.push(`${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  const line = `${time} ${level} ${record.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}`;
  return line.length > options.width ? `${line.slice(0, options.width - 1)}…` : line;
}

/**
 * Whether a record reaches the terminal. At info the per-request lines of the HTTP server are
 * details (kept at debug); warnings and errors always show.
 */
export function showInTerminal(record: LogRecord, level: number): boolean {
  if (record.level >= 40) return true;
  if ('reqId' in record) return level <= 20;
  return true;
}
