import { describe, expect, it } from 'vitest';
import { chooseColumn, parseCsv, sniffDelimiter } from './csv';
import { jsonlText } from './jsonl';
import { countCodePoints, splitText } from './splitText';

const text = 'First line\n  \nSecond para, line one\nline two   \n\n\nThird\n';

describe('splitText', () => {
  it('gives the whole file as one item, unless it is blank', () => {
    expect([...splitText(text, 'file')]).toEqual([{ text, locator: null }]);
    expect([...splitText(' \n\t\n', 'file')]).toEqual([]);
  });

  it('gives each non-blank line, with its line number', () => {
    expect([...splitText(text, 'line')]).toEqual([
      { text: 'First line', locator: '#L1' },
      { text: 'Second para, line one', locator: '#L3' },
      { text: 'line two', locator: '#L4' },
      { text: 'Third', locator: '#L7' },
    ]);
  });

  it('gives each paragraph (blank lines between), with the line it starts on', () => {
    expect([...splitText(text, 'paragraph')]).toEqual([
      { text: 'First line', locator: '#L1' },
      { text: 'Second para, line one\nline two', locator: '#L3' },
      { text: 'Third', locator: '#L7' },
    ]);
  });

  it('counts characters as code points', () => {
    expect(countCodePoints('a😀é')).toBe(3);
  });
});

describe('parseCsv', () => {
  it('parses quotes, escaped quotes and line breaks inside fields, with line numbers', () => {
    const csv = 'id,text\n1,"Hello, ""world"""\n\n2,"two\nlines"\n3,plain';
    expect([...parseCsv(csv)]).toEqual([
      { fields: ['id', 'text'], line: 1 },
      { fields: ['1', 'Hello, "world"'], line: 2 },
      { fields: ['2', 'two\nlines'], line: 4 },
      { fields: ['3', 'plain'], line: 6 },
    ]);
  });

  it('guesses ; and tab delimiters from the header', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
    expect(sniffDelimiter('"a;b",c\n')).toBe(',');
    expect([...parseCsv('a;b\n1;2')].map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('chooses the column by name, number, the only column, or one called text', () => {
    expect(chooseColumn(['id', 'Body'], 'body')).toEqual({ ok: true, index: 1, name: 'Body' });
    expect(chooseColumn(['id', 'Body'], '1')).toEqual({ ok: true, index: 0, name: 'id' });
    expect(chooseColumn(['only'], undefined)).toMatchObject({ ok: true, index: 0 });
    expect(chooseColumn(['id', 'Text'], undefined)).toMatchObject({ ok: true, index: 1 });
    expect(chooseColumn(['id', 'body'], undefined)).toEqual({
      ok: false,
      reason: 'has 2 columns ("id", "body"); choose the text column (CSV column setting)',
    });
    expect(chooseColumn(['id'], 'nope')).toMatchObject({ ok: false });
  });
});

describe('jsonlText', () => {
  it('reads a field, nested fields with dots, and says what is wrong otherwise', () => {
    expect(jsonlText('{"text":"hi"}', 'text')).toEqual({ ok: true, text: 'hi' });
    expect(jsonlText('{"a":{"b":"deep"}}', 'a.b')).toEqual({ ok: true, text: 'deep' });
    expect(jsonlText('{"n":3}', 'n')).toEqual({ ok: true, text: '3' });
    expect(jsonlText('{"text":', 'text')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(jsonlText('{"body":"x"}', 'text')).toEqual({ ok: false, reason: 'has no field "text"' });
    expect(jsonlText('{"text":[1]}', 'text')).toEqual({
      ok: false,
      reason: 'field "text" is not text',
    });
  });
});
