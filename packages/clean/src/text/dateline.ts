/**
 * Month names and their abbreviations in English, German, French, Spanish, Italian, Dutch and
 * Portuguese (accents optional), as datelines spell them.
 */
const MONTH =
  '(?:jan(?:uary|uar|vier|eiro)?|ene(?:ro)?|genn(?:aio)?|janv(?:ier)?|feb(?:ruary|ruar|rero|braio)?|f[ée]v(?:rier)?|fev(?:ereiro)?|mar(?:ch|s|zo|ço|co)?|m[äa]r(?:z)?|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|mei|maio|june?|juni|juin|junio|giugno|junho|july?|juli|juil(?:let)?|julio|luglio|julho|aug(?:ust|usti|ustus)?|ao[ûu]t|ago(?:sto)?|sep(?:t(?:ember|iembre)?)?|sett(?:embre)?|set(?:embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|ott(?:obre)?|out(?:ubro)?|nov(?:ember|embre|iembre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|d[ée]c(?:embre)?|dic(?:iembre|embre)?)';
const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const DATE_PATTERNS = [
  new RegExp(
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+(?:de\\s+)?${MONTH}\\.?,?\\s+(?:de\\s+)?(?:\\d{4}|\\d{2})\\b`,
    'i',
  ),
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'i'),
  /\b\d{4}-\d{2}-\d{2}\b/,
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/,
];
/** Words a dateline may carry besides the date itself. */
const DATELINE_WORDS = new RegExp(
  `^(?:${WEEKDAY}|${MONTH}|posted|published|updated|last|modified|on|at|am|pm|gmt|utc|bst|uk|est|edt|pst|pdt|cet|cest|mez|mesz|aest|aedt|et|pt|date|veröffentlicht|aktualisiert|zuletzt|stand|um|uhr|publié|publiée|mis|à|jour|le|publicado|actualizado|el|de|pubblicato|aggiornato|il|alle|ore|gepubliceerd|bijgewerkt|op|\\d+(?:st|nd|rd|th)?\\.?|\\d{1,2}[:.]\\d{2}(?:am|pm|h)?|\\d{4}|by|and|-|\\|)$`,
  'iu',
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
