export interface MarkableEntity {
  type: string;
  name: string;
  aliases?: readonly string[];
}

/** A run of text, with the entity it names when it is a mention. */
export interface TextSegment {
  text: string;
  entity?: { type: string; name: string };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits paragraphs of plain text into segments, marking each mention of an entity (its name or
 * any alias, longest first, on word boundaries). The template escapes every segment, so marking
 * never turns document text into markup.
 */
export function markEntities(text: string, entities: readonly MarkableEntity[]): TextSegment[][] {
  const forms = new Map<string, { type: string; name: string }>();
  for (const entity of entities)
    for (const form of [entity.name, ...(entity.aliases ?? [])])
      if (form.trim().length > 1 && !forms.has(form))
        forms.set(form, { type: entity.type, name: entity.name });
  const pattern = forms.size
    ? new RegExp(
        `(?<![\\p{L}\\p{N}])(${[...forms.keys()]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|')})(?![\\p{L}\\p{N}])`,
        'gu',
      )
    : null;
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => {
      if (!pattern) return [{ text: paragraph }];
      const segments: TextSegment[] = [];
      let last = 0;
      for (const match of paragraph.matchAll(pattern)) {
        if (match.index > last) segments.push({ text: paragraph.slice(last, match.index) });
        segments.push({ text: match[0], entity: forms.get(match[0]) });
        last = match.index + match[0].length;
      }
      if (last < paragraph.length) segments.push({ text: paragraph.slice(last) });
      return segments;
    });
}
