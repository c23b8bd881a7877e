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
  const keyCache = new Map<string, string>();
  const keyOf = (name: string) => {
    let key = keyCache.get(name);
    if (key === undefined) {
      key = nameKey(name);
      keyCache.set(name, key);
    }
    return key;
  };
  const newGroup = (type: EntityType, name: string): Group => {
    const group: Group = {
      type,
      name,
      key: keyOf(name),
      aliases: new Set(),
      mentions: 0,
      roles: new Set(),
      positions: [],
    };
    groups.push(group);
    byKey.set(`${type}:${group.key}`, group);
    return group;
  };
  // People first: every written form, fullest first, joins the fullest name it is a short form of.
  const people = mentions.filter((m) => m.type === 'person');
  const fullNames = [...new Set(people.map((m) => m.surface))]
    .map((surface) => ({ surface, words: keyOf(surface).split(' ') }))
    .sort((a, b) => b.words.length - a.words.length);
  const personFor = new Map<string, Group>();
  const personGroups: { group: Group; words: string[] }[] = [];
  for (const { surface, words: nameWords } of fullNames) {
    const key = keyOf(surface);
    if (personFor.has(key)) continue;
    const owner = personGroups.find((g) => isShortFormOf(nameWords, g.words))?.group;
    if (owner) personFor.set(key, owner);
    else {
      const group = newGroup('person', surface);
      personGroups.push({ group, words: nameWords });
      personFor.set(key, group);
    }
  }
  const untyped: Mention[] = [];
  for (const mention of mentions) {
    if (mention.type === 'person') {
      addTo(personFor.get(keyOf(mention.surface))!, mention);
    } else if (mention.type) {
      const name = mention.canonical ?? mention.surface.replace(/^the\s+/i, '');
      const group = byKey.get(`${mention.type}:${keyOf(name)}`) ?? newGroup(mention.type, name);
      addTo(group, mention);
    } else {
      untyped.push(mention);
    }
  }
  // A one-word organisation that is the head noun of another one named in full ("the Commission" after
  // "the European Commission") is that organisation.
  const fullOrgs = groups.filter((g) => g.type === 'organization' && g.key.includes(' '));
  for (const group of groups) {
    if (group.type !== 'organization' || group.key.includes(' ') || group.mentions === 0) continue;
    const heads = fullOrgs.filter((g) => g.key.endsWith(` ${group.key}`));
    if (heads.length !== 1) continue;
    const owner = heads[0]!;
    for (const alias of group.aliases) owner.aliases.add(alias);
    owner.mentions += group.mentions;
    for (const role of group.roles) owner.roles.add(role);
    owner.positions.push(...group.positions);
    group.mentions = 0;
  }
  // Untyped words join a place or organisation known by that form, else the person they shorten.
  const nonPersonByForm = new Map<string, Group>();
  for (const group of groups) {
    if (group.type === 'person' || group.mentions === 0) continue;
    nonPersonByForm.set(group.key, group);
    for (const alias of group.aliases)
      if (!nonPersonByForm.has(keyOf(alias))) nonPersonByForm.set(keyOf(alias), group);
  }
  for (const mention of untyped) {
    const key = keyOf(mention.surface);
    const keyWords = key.split(' ');
    const target =
      nonPersonByForm.get(key) ?? personGroups.find((g) => isShortFormOf(keyWords, g.words))?.group ?? null;
    if (target) addTo(target, mention);
    else {
      const place = PLACES.get(key);
      if (place)
        addTo(byKey.get(`place:${keyOf(place.canonical)}`) ?? newGroup('place', place.canonical), mention);
      else if (mention.speaker)
        addTo(byKey.get(`person:${key}`) ?? newGroup('person', mention.surface), mention);
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
