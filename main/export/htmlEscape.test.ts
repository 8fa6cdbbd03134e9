import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './htmlEscape';

// Run names, notes and generated text are anyone's words: none of them may become markup.
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</pre><style>body{display:none}</style>',
  '`${x}` & &amp; <!-- -->',
  '<svg onload=alert(1)>',
];

describe('escapeHtml', () => {
  it('leaves no character that opens a tag, an entity or ends a quoted attribute', () => {
    for (const text of HOSTILE) {
      const escaped = escapeHtml(text);
      expect(escaped).not.toMatch(/[<>"'`]/);
      // Every & starts one of the entities it wrote: the text's own & are escaped too.
      expect(escaped.replace(/&(amp|lt|gt|quot|#39|#96);/g, '')).not.toContain('&');
    }
  });

  it('round-trips: decoding the entities gives the text back', () => {
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&#96;/g, '`')
        .replace(/&amp;/g, '&');
    for (const text of [...HOSTILE, 'plain', 'é ✓ 日本'])
      expect(decode(escapeHtml(text))).toBe(text);
  });
});

describe('html', () => {
  it('escapes interpolated text in content and attributes, and keeps its own markup', () => {
    const name = '<b>run</b> "one"';
    const inner = html`<i>${'<x>'}</i>`;
    const page = html`<h1 title="${name}">${name}</h1>
      ${inner}`;
    expect(page).toBeInstanceOf(SafeHtml);
    expect(page.markup).toContain('title="&lt;b&gt;run&lt;/b&gt; &quot;one&quot;"');
    expect(page.markup).toContain('>&lt;b&gt;run&lt;/b&gt; &quot;one&quot;</h1>');
    expect(page.markup).toContain('<i>&lt;x&gt;</i>');
  });

  it('renders arrays of parts and drops null, undefined and false', () => {
    const rows = ['<a>', 'b'].map((t) => html`<li>${t}</li>`);
    const list = html`<ul>
      ${rows}${null}${undefined}${false}${0}
    </ul>`;
    expect(list.markup.replace(/\s+/g, '')).toBe('<ul><li>&lt;a&gt;</li><li>b</li>0</ul>');
  });

  it('escapes a string that only looks like markup it built', () => {
    const forged = { markup: '<script>' } as unknown as string;
    expect(html`${forged}`.markup).not.toContain('<script>');
  });
});
