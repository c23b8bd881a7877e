import { renderSnippet } from '@sluice/store';
import { describe, expect, it } from 'vitest';
import { safeSnippetHtml } from './snippet';

describe('safeSnippetHtml', () => {
  it('keeps the highlight and leaves escaped markup escaped', () => {
    const raw = 'a \u0002<script>alert(1)</script>\u0003 & b';
    expect(safeSnippetHtml(renderSnippet(raw))).toBe(
      'a <mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark> &amp; b',
    );
  });

  it('escapes any tag other than mark and balances marks', () => {
    expect(safeSnippetHtml('<mark>x<img src=y onerror=z>')).toBe('<mark>x&lt;img src=y onerror=z&gt;</mark>');
    expect(safeSnippetHtml('</mark>x<mark><mark>y</mark>')).toBe('x<mark>y</mark>');
  });
});
