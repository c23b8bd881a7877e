import type { CleanedDocument } from '@sluice/contracts';
import type { TemplateHints } from './text/template';

export function cleanText(
  text: string,
  _options: { url?: string | null; template?: TemplateHints } = {},
): CleanedDocument {
  return { format: 'text', text, titleCandidates: [], dateHints: [], bylineHints: [], meta: {}, jsonLd: [] };
}
