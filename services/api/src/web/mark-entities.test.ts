import { describe, expect, it } from 'vitest';
import { markEntities } from './mark-entities';

describe('markEntities', () => {
  it('marks names and aliases on word boundaries, longest first, per paragraph', () => {
    const paragraphs = markEntities('Manouchehr Mottaki spoke.\n\nMottaki met Mottakis in Iran.', [
      { type: 'person', name: 'Manouchehr Mottaki', aliases: ['Mottaki'] },
      { type: 'place', name: 'Iran' },
    ]);
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toEqual([
      { text: 'Manouchehr Mottaki', entity: { type: 'person', name: 'Manouchehr Mottaki' } },
      { text: ' spoke.' },
    ]);
    expect(paragraphs[1]?.filter((segment) => segment.entity).map((segment) => segment.text)).toEqual([
      'Mottaki',
      'Iran',
    ]);
  });

  it('treats markup in the text as text', () => {
    expect(markEntities('<b>Iran</b>', [{ type: 'place', name: 'Iran' }])[0]?.map((s) => s.text)).toEqual([
      '<b>',
      'Iran',
      '</b>',
    ]);
  });
});
