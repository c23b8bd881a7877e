const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const DATE_PATTERNS = [
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+${MONTH}\\.?,?\\s+(?:\\d{4}|\\d{2})\\b`, 'i'),
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'i'),
  /\b\d{4}-\d{2}-\d{2}\b/,
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/,
];
/** Words a dateline may carry besides the date itself. */
const DATELINE_WORDS = new RegExp(
  `^(?:${WEEKDAY}|${MONTH}|posted|published|updated|last|modified|on|at|am|pm|gmt|utc|bst|uk|est|edt|pst|pdt|cet|cest|aest|aedt|et|pt|date|\\d+(?:st|nd|rd|th)?|\\d{1,2}[:.]\\d{2}(?:am|pm)?|\\d{4}|by|and|-|\\|)$`,
  'i',
);

/**
 * Whether a line is a dateline: a date (and perhaps a weekday, time, zone and a "Posted" or
 * "Last Updated" label) and next to nothing else.
 */
export function isDateline(line: string): boolean {
  if (line.length > 120) return false;
  if (!DATE_PATTERNS.some((pattern) => pattern.test(line))) return false;
  const words = line
    .replace(/[,;:()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const other = words.filter((word) => !DATELINE_WORDS.test(word.replace(/\.$/, '')));
  return other.length <= 1 && other.length < words.length / 3;
}
