import { existsSync, readFileSync } from 'node:fs';
import type { CleanedDocument, Entity, EntityType } from '@sluice/contracts';
import { ExtractedDocumentSchema } from '@sluice/contracts';
import { describe, expect, it } from 'vitest';
import { extractDocument } from './extract-document';

const SEEDS = new URL('../../../../shared/seeds/', import.meta.url).pathname;
const present = existsSync(`${SEEDS}index.json`);
if (!present) console.log(`seeds tests skipped: ${SEEDS} is absent`);

type CleanText = (text: string, options?: { url?: string | null }) => CleanedDocument;
const cleanModule = (await import('@sluice/clean')) as Record<string, unknown>;
const cleanText = typeof cleanModule.cleanText === 'function' ? (cleanModule.cleanText as CleanText) : null;
if (!cleanText) console.log('seed headline assertions skipped: @sluice/clean does not export cleanText yet');

interface Seed {
  file: string;
  url: string | null;
  title: string;
}
const seeds: Seed[] = present ? JSON.parse(readFileSync(`${SEEDS}index.json`, 'utf8')) : [];

function extractSeed(index: number) {
  const seed = seeds[index]!;
  const raw = readFileSync(`${SEEDS}${seed.file}`, 'utf8');
  const cleaned: CleanedDocument = cleanText
    ? cleanText(raw, { url: seed.url })
    : {
        format: 'text',
        text: raw,
        titleCandidates: [],
        dateHints: [],
        bylineHints: [],
        meta: {},
        jsonLd: [],
      };
  return extractDocument({ id: seed.file, cleaned, url: seed.url, fetchedAt: '2026-01-01T00:00:00Z' });
}

function entity(entities: Entity[], type: EntityType, name: string): Entity | undefined {
  return entities.find((e) => e.type === type && (e.name === name || e.aliases.includes(name)));
}

describe.skipIf(!present)('seed articles', () => {
  const docs = seeds.map((_, index) => extractSeed(index));

  it('produce documents that pass the contract', () => {
    for (const doc of docs) expect(() => ExtractedDocumentSchema.parse(doc)).not.toThrow();
  });

  it.skipIf(!cleanText)('get the right headline', () => {
    for (const [index, doc] of docs.entries()) expect(doc.title).toBe(seeds[index]!.title);
  });

  it('get the publication date stated in each', () => {
    expect(Date.parse(docs[0]!.publishedAt!)).toBe(Date.parse('2007-07-26T05:14+10:00'));
    expect(docs[0]!.publishedAt).toMatch(/\+10:00$/);
    expect(docs[1]!.publishedAt?.slice(0, 10)).toBe('2007-07-25');
    expect(docs[2]!.publishedAt?.slice(0, 10)).toBe('2007-07-25');
    expect(Date.parse(docs[3]!.publishedAt!)).toBe(Date.parse('2007-07-17T16:28Z'));
  });

  it('name the people with full names and merged aliases', () => {
    const all = docs.flatMap((d) => d.entities);
    const expected: [string, string[]][] = [
      ['Sean McCormack', ['McCormack', 'Mr McCormack']],
      ['Manouchehr Mottaki', ['Mottaki', 'Mr Mottaki']],
      ['Ryan Crocker', ['Crocker', 'Mr Crocker']],
      ['Hassan Kazemi Qomi', ['Hassan Kazemi-Qomi']],
      ['Nouri al-Maliki', []],
      ['Kevin J Bergner', ['Kevin Bergner']],
      ['Hoshiyar Zebari', []],
      ['David Gollust', []],
      ['Jon Leyne', []],
    ];
    for (const [name, aliases] of expected) {
      const matches = all.filter((e) => e.type === 'person' && e.name === name);
      expect(matches.length, name).toBeGreaterThan(0);
      const seen = new Set(matches.flatMap((e) => e.aliases));
      for (const alias of aliases) expect(seen.has(alias), `${name} alias ${alias}`).toBe(true);
      // No separate person entity for a bare surname that belongs to the full name.
      for (const doc of docs) {
        const surname = name.split(' ').pop()!;
        if (doc.entities.some((e) => e.name === name)) {
          expect(doc.entities.some((e) => e.type === 'person' && e.name === surname)).toBe(false);
        }
      }
    }
  });

  it('find the organisations and places', () => {
    const all = docs.flatMap((d) => d.entities);
    for (const name of ['IRNA', 'State Department', 'Hezbollah', 'Quds Force']) {
      expect(entity(all, 'organization', name), name).toBeDefined();
    }
    for (const name of ['Iran', 'Iraq', 'United States', 'Baghdad', 'Tehran']) {
      expect(entity(all, 'place', name), name).toBeDefined();
    }
    const us = docs[1]!.entities.find((e) => e.name === 'United States')!;
    expect(us.aliases).toEqual(expect.arrayContaining(['U.S.']));
    const iran = docs[0]!.entities.find((e) => e.name === 'Iran')!;
    expect(iran.aliases).not.toContain("Iran's");
  });

  it("attribute McCormack's quotes to him", () => {
    for (const index of [0, 3, 4]) {
      const quotes = docs[index]!.quotes.filter((q) => q.speaker === 'Sean McCormack');
      expect(quotes.length, seeds[index]!.file).toBeGreaterThan(0);
    }
    expect(docs[0]!.quotes.find((q) => q.text.startsWith('We have an established channel'))?.speaker).toBe(
      'Sean McCormack',
    );
    expect(docs[3]!.quotes.find((q) => q.text.startsWith('They need to stop'))?.speaker).toBe(
      'Sean McCormack',
    );
    expect(docs[0]!.quotes.find((q) => q.text.startsWith('Raising the level'))?.speaker).toBe(
      'Manouchehr Mottaki',
    );
  });

  it('find the byline written into the VOA text', () => {
    expect(docs[4]!.authors).toEqual(['David Gollust']);
  });
});
