/**
 * Month names and their abbreviations in English, German, French, Spanish, Italian, Dutch and
 * Portuguese (accents optional), as datelines spell them.
 */
const MONTH =
  '(?:jan(?:uary|uar|vier|eiro)?|ene(?:ro)?|genn(?:aio)?|janv(?:ier)?|feb(?:ruary|ruar|rero|braio)?|f[ée]v(?:rier)?|fev(?:ereiro)?|mar(?:ch|s|zo|ço|co)?|m[äa]r(?:z)?|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|mei|maio|june?|juni|juin|junio|giugno|junho|july?|juli|juil(?:let)?|julio|luglio|julho|aug(?:ust|usti|ustus)?|ao[ûu]t|ago(?:sto)?|sep(?:t(?:ember|iembre)?)?|sett(?:embre)?|set(?:embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|ott(?:obre)?|out(?:ubro)?|nov(?:ember|embre|iembre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|d[ée]c(?:embre)?|dic(?:iembre|embre)?)';
/** "2010-07-02", "2010-07-02T09:15:00Z", "07/02/2010", "2.7.2010": one word of a dateline. */
const NUMERIC_DATE =
  '\\d{4}-\\d{2}-\\d{2}(?:t\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?:z|[+-]\\d{2}:?\\d{2})?)?|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}';
const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const DATE_PATTERNS = [
  new RegExp(
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\.?\\s+(?:de\\s+)?${MONTH}\\.?,?\\s+(?:de\\s+)?(?:\\d{4}|\\d{2})\\b`,
    'i',
  ),
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'i'),
  /\b\d{4}-\d{2}-\d{2}(?!\d)/,
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/,
];
/** Words a dateline may carry besides the date itself. */
const DATELINE_WORDS = new RegExp(
  `^(?:${WEEKDAY}|${MONTH}|posted|published|updated|last|modified|on|at|am|pm|gmt|utc|bst|uk|est|edt|pst|pdt|cet|cest|mez|mesz|aest|aedt|et|pt|date|veröffentlicht|aktualisiert|zuletzt|stand|um|uhr|publié|publiée|mis|à|jour|le|publicado|actualizado|el|de|pubblicato|aggiornato|il|alle|ore|gepubliceerd|bijgewerkt|op|\\d+(?:st|nd|rd|th)?\\.?|\\d{1,2}[:.]\\d{2}(?:[:.]\\d{2})?(?:am|pm|h)?|\\d{4}|${NUMERIC_DATE}|[+-]\\d{2}:?\\d{2}|(?:gmt|utc)[+-]\\d{1,2}(?::?\\d{2})?|by|and|-|–|—|\\|)$`,
  'iu',
);

/** A wire dateline's place, in capitals before a comma or dash ("NEW YORK,", "WASHINGTON —"). */
const WIRE_PLACE = /^\p{Lu}[\p{Lu}\s.'’-]{1,30}(?:,|\s[–—-])\s*/u;
/** The agency after a wire dateline: "(Reuters)", "(AP)", "(AFP) -". */
const AGENCY = /\(\s*\p{Lu}[\p{L}&.\s-]{1,24}\)/gu;

/**
 * Whether a line is a dateline: a date (and perhaps a weekday, time, zone and a "Posted" or
 * "Last Updated" label, or a wire service's place and name) and next to nothing else.
 */
export function isDateline(line: string): boolean {
  if (line.length > 120) return false;
  if (!DATE_PATTERNS.some((pattern) => pattern.test(line))) return false;
  const words = line
    .replace(WIRE_PLACE, '')
    .replace(AGENCY, ' ')
    .replace(/[,;()]|:(?!\d)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const other = words.filter((word) => !DATELINE_WORDS.test(word.replace(/\.$/, '')));
  return other.length <= 1 && other.length < words.length / 3;
}
