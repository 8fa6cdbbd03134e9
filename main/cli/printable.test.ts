import { describe, expect, it } from 'vitest';
import { printable } from './printable';

describe('printable', () => {
  it('shows control characters and direction overrides from file names as escapes', () => {
    expect(printable('cats/\u001b]0;owned\u0007a.png')).toBe('cats/\\u{1b}]0;owned\\u{7}a.png');
    expect(printable('new\nline.png: empty file')).toBe('new\\nline.png: empty file');
    expect(printable('\u202egnp.exe')).toBe('\\u{202e}gnp.exe');
  });

  it('leaves every other script, emoji and combining mark as it is', () => {
    const names = '猫/🐈‍⬛ кошка שלום cafe\u0301.png';
    expect(printable(names)).toBe(names);
  });
});
