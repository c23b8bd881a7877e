import type { Entity, EntityType } from '@sluice/contracts';
import { PLACES } from './gazetteer';
import type { Mention } from './mentions';

/** An entity with the positions of its mentions and the roles it was given, for quote attribution. */
export interface ResolvedEntity extends Entity {
  roles: string[];
  positions: [number, number][];
}

/** Comparison key: case, hyphens, dots and apostrophes do not distinguish names ("Kazemi-Qomi" = "Kazemi Qomi"). */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[.'’]/g, '')
    .replace(/[-\s]+/g, ' ')
    .trim();
}

const words = (name: string) => nameKey(name).split(' ');

/** `short` names the same person as `full`: its words appear in order in `full` and it ends with the surname. */
function isShortFormOf(short: string[], full: string[]): boolean {
  if (short.length >= full.length) return false;
  if (short[short.length - 1] !== full[full.length - 1] && !(short.length === 1 && short[0] === full[0]))
    return false;
  let k = 0;
  for (const word of full) if (word === short[k]) k++;
  return k === short.length;
}

interface Group {
  type: EntityType;
  name: string;
  key: string;
  aliases: Set<string>;
  mentions: number;
  roles: Set<string>;
  positions: [number, number][];
}

function addTo(group: Group, mention: Mention): void {
  group.aliases.add(mention.surface);
  if (mention.seen) group.aliases.add(mention.seen);
  group.mentions++;
  for (const role of mention.roles) group.roles.add(role);
  group.positions.push([mention.start, mention.end]);
}

/**
 * Merges mentions into entities: gazetteer names by canonical form; people by surname and name
 * sub-sequence ("Mr McCormack", "McCormack" → "Sean McCormack"; "Kevin Bergner" → "Kevin J Bergner");
 * organisations by key; untyped single words join the person, organisation or place they name.
 */
export function resolveMentions(mentions: readonly Mention[]): ResolvedEntity[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  const newGroup = (type: EntityType, name: string): Group => {
    const group: Group = {
      type,
      name,
      key: nameKey(name),
      aliases: new Set(),
      mentions: 0,
      roles: new Set(),
      positions: [],
    };
    groups.push(group);
    byKey.set(`${type}:${group.key}`, group);
    return group;
  };
  // Places and organisations with a known canonical name, and typed multi-word names, first.
  const people = mentions.filter((m) => m.type === 'person');
  const fullNames = [...new Set(people.map((m) => m.surface))].sort(
    (a, b) => words(b).length - words(a).length,
  );
  const personFor = new Map<string, Group>();
  for (const name of fullNames) {
    const key = nameKey(name);
    if (personFor.has(key)) continue;
    const owner = [...personFor.values()].find((g) => isShortFormOf(words(name), words(g.name)));
    personFor.set(key, owner ?? newGroup('person', name));
  }
  const untyped: Mention[] = [];
  for (const mention of mentions) {
    if (mention.type === 'person') {
      addTo(personFor.get(nameKey(mention.surface))!, mention);
    } else if (mention.type) {
      const name = mention.canonical ?? mention.surface.replace(/^the\s+/i, '');
      const group = byKey.get(`${mention.type}:${nameKey(name)}`) ?? newGroup(mention.type, name);
      addTo(group, mention);
    } else {
      untyped.push(mention);
    }
  }
  for (const mention of untyped) {
    const key = nameKey(mention.surface);
    const target =
      groups.find(
        (g) => g.type !== 'person' && (g.key === key || [...g.aliases].some((a) => nameKey(a) === key)),
      ) ??
      groups.find((g) => g.type === 'person' && isShortFormOf(key.split(' '), words(g.name))) ??
      null;
    if (target) addTo(target, mention);
    else {
      const place = PLACES.get(key);
      if (place)
        addTo(byKey.get(`place:${nameKey(place.canonical)}`) ?? newGroup('place', place.canonical), mention);
    }
  }
  return groups
    .filter((g) => g.mentions > 0)
    .map((g) => ({
      type: g.type,
      name: g.name,
      aliases: [...g.aliases].filter((a) => a !== g.name),
      mentions: g.mentions,
      roles: [...g.roles],
      positions: g.positions,
    }))
    .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name));
}
