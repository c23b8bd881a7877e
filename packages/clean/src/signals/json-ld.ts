import type { Element } from 'domhandler';

const MAX_JSONLD_OBJECTS = 50;
/** A JSON-LD block larger than this is an app-state dump, not article metadata. */
const MAX_JSONLD_CHARS = 1_000_000;

/** Parses JSON that sites commonly break: comments, CDATA wrappers, trailing commas, raw newlines in strings. */
export function parseLenientJson(raw: string): unknown {
  const trimmed = raw
    .replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, '')
    .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)\s*$/, '')
    .trim();
  if (!trimmed) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    // Second chance: drop trailing commas and control characters that break JSON.parse.
    const repaired = trimmed.replace(/,\s*([}\]])/g, '$1').replace(/[\u0000-\u001f]+/g, ' ');
    try {
      return JSON.parse(repaired);
    } catch {
      return undefined;
    }
  }
}

/** The raw text of a script element (its text children), or null beyond `max` characters. */
export function scriptText(el: Element, max: number): string | null {
  let text = '';
  for (const child of el.children) {
    if (child.type === 'text') text += child.data;
    if (text.length > max) return null;
  }
  return text;
}

/** At most the first `max` characters of a script element's text. */
export function scriptPrefix(el: Element, max: number): string {
  let text = '';
  for (const child of el.children) {
    if (text.length >= max) break;
    if (child.type === 'text') text += child.data.slice(0, max - text.length);
  }
  return text;
}

/** Flattens arrays and `@graph` containers into a list of plain objects. */
export function flattenJsonLd(
  value: unknown,
  out: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  if (out.length >= MAX_JSONLD_OBJECTS || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const item of value) flattenJsonLd(item, out);
    return out;
  }
  const record = value as Record<string, unknown>;
  const graph = record['@graph'];
  const { '@graph': _graph, ...rest } = record;
  if (Object.keys(rest).some((key) => key !== '@context')) out.push(rest);
  if (graph !== undefined) flattenJsonLd(graph, out);
  return out;
}

/** Every JSON-LD object on the page, flattened out of arrays and `@graph`; unparseable blocks are skipped. */
export function collectJsonLd(scripts: readonly Element[]): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const el of scripts) {
    if (objects.length >= MAX_JSONLD_OBJECTS) break;
    const raw = scriptText(el, MAX_JSONLD_CHARS);
    const parsed = raw === null ? undefined : parseLenientJson(raw);
    if (parsed !== undefined) flattenJsonLd(parsed, objects);
  }
  return objects;
}

/** The `@type` of a JSON-LD object as a list of strings. */
export function jsonLdTypes(object: Record<string, unknown>): string[] {
  const type = object['@type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

/** Names out of a JSON-LD person/organisation value: a string, an object with `name`, or a list of those. */
export function jsonLdNames(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) return value.flatMap(jsonLdNames);
  if (value && typeof value === 'object') {
    const name = (value as Record<string, unknown>).name;
    if (typeof name === 'string' && name.trim()) return [name.trim()];
    if (Array.isArray(name)) return name.flatMap(jsonLdNames);
  }
  return [];
}

const ARTICLE_TYPE = /Article|Posting|Report|Blog|NewsArticle|WebPage|CreativeWork|Review|LiveBlog/i;

/** JSON-LD objects that describe the page's content (articles first, then web pages). */
export function articleObjects(objects: Record<string, unknown>[]): Record<string, unknown>[] {
  const articles = objects.filter((o) =>
    jsonLdTypes(o).some((t) => ARTICLE_TYPE.test(t) && !/WebPage/i.test(t)),
  );
  const pages = objects.filter((o) => jsonLdTypes(o).some((t) => /WebPage/i.test(t)));
  const untyped = objects.filter((o) => jsonLdTypes(o).length === 0);
  return [...articles, ...pages, ...untyped];
}
