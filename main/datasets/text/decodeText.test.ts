import { describe, expect, it } from 'vitest';
import { decodeText, scanUtf8 } from './decodeText';

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = bigEndian ? Buffer.from(le).swap16() : le;
  const mark = bigEndian ? [0xfe, 0xff] : [0xff, 0xfe];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
}

describe('decodeText', () => {
  it('reads UTF-8 as is, with or without a BOM, and makes line endings \\n', () => {
    expect(decodeText(Buffer.from('héllo\r\nwörld 🌍\r'))).toEqual({
      ok: true,
      text: 'héllo\nwörld 🌍\n',
      encoding: 'utf-8',
      replaced: 0,
      note: null,
    });
    const bom = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hi')]));
    expect(bom).toMatchObject({ ok: true, text: 'hi', encoding: 'utf-8' });
  });

  it('reads UTF-16 with a BOM, both byte orders, and without one by its zero bytes', () => {
    for (const bigEndian of [false, true]) {
      for (const bom of [true, false]) {
        const decoded = decodeText(utf16('Grüße, 世界\n', bigEndian, bom));
        expect(decoded).toMatchObject({
          ok: true,
          text: 'Grüße, 世界\n',
          encoding: bigEndian ? 'utf-16be' : 'utf-16le',
          replaced: 0,
        });
      }
    }
  });

  it('reads UTF-16 without a BOM in another alphabet, whose only zero bytes are its spaces', () => {
    const texts = [
      'Привет, как дела? Сегодня хорошая погода, и мы идём гулять в парк.\nДо завтра.\n',
      'Καλημέρα, τι κάνεις; Σήμερα ο καιρός είναι ωραίος.\n',
      '今日は良い天気です。明日も晴れるでしょう。\n東京 2026\n',
    ];
    for (const text of texts)
      for (const bigEndian of [false, true])
        expect(decodeText(utf16(text, bigEndian, false))).toMatchObject({
          ok: true,
          text,
          encoding: bigEndian ? 'utf-16be' : 'utf-16le',
        });
    // Binary with zero bytes only at odd offsets is still binary: its code units are all over.
    let seed = 9;
    const binary = Buffer.from(
      Array.from({ length: 4000 }, (_, i) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return i % 2 === 1 && i % 40 === 1 ? 0 : 1 + (seed % 255);
      }),
    );
    expect(decodeText(binary)).toMatchObject({ ok: false });
  });

  it('counts what UTF-16 cannot decode (an odd trailing byte, a lone surrogate)', () => {
    const broken = Buffer.concat([
      utf16('ab', false, true),
      Buffer.from([0x00, 0xd8, 0x41, 0x00, 0x42]),
    ]);
    const decoded = decodeText(broken);
    expect(decoded.ok && decoded.replaced).toBe(2);
    expect(decoded.ok && decoded.note).toMatch(/2 undecodable code units/);
  });

  it('reads Latin-1 (Windows-1252) when the bytes are not UTF-8 at all', () => {
    const decoded = decodeText(Buffer.from([0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x0a]));
    expect(decoded).toMatchObject({
      ok: true,
      text: '\u201cCafé\u201d\n',
      encoding: 'latin-1',
      note: 'decoded as Latin-1 (not valid UTF-8)',
    });
  });

  it('keeps damaged UTF-8 as UTF-8 and reports the undecodable bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('naïve '),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from(' ok'),
    ]);
    const decoded = decodeText(bytes);
    expect(decoded).toMatchObject({ ok: true, encoding: 'utf-8', replaced: 3 });
    expect(decoded.ok && decoded.note).toBe('3 undecodable bytes replaced with U+FFFD');
    expect(decoded.ok && decoded.text.startsWith('naïve ')).toBe(true);
  });

  it('refuses empty and binary files', () => {
    expect(decodeText(Buffer.alloc(0))).toEqual({ ok: false, reason: 'empty file (0 bytes)' });
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 9]);
    expect(decodeText(binary)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/binary/),
    });
    const controls = Buffer.from(
      Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)),
    );
    expect(decodeText(controls)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/binary/),
    });
  });

  it('scanUtf8 tells real multi-byte sequences from stray high bytes', () => {
    expect(scanUtf8(Buffer.from('é😀'))).toEqual({ multiByte: 2, invalid: 0 });
    expect(scanUtf8(Buffer.from([0xe9, 0x41, 0xc3]))).toEqual({ multiByte: 0, invalid: 2 });
  });

  it('counts overlong forms and encoded surrogates as broken bytes, as the decoder does', () => {
    // C0 AF and E0 80 AF are overlong slashes; ED A0 80 is a UTF-16 surrogate written as UTF-8.
    for (const broken of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      expect(scanUtf8(Buffer.from(broken)).multiByte).toBe(0);
      const decoded = decodeText(Buffer.concat([Buffer.from('café '), Buffer.from(broken)]));
      expect(decoded).toMatchObject({ ok: true, encoding: 'utf-8' });
      expect(decoded.ok && decoded.replaced).toBeGreaterThan(0);
      expect(decoded.ok && decoded.note).toMatch(/^[1-9]\d* undecodable bytes? replaced/);
    }
  });

  it('says UTF-32 is not read rather than calling it binary', () => {
    const text = 'hello';
    const le = Buffer.alloc(4 + text.length * 4);
    le.writeUInt32LE(0xfeff, 0);
    for (let i = 0; i < text.length; i++) le.writeUInt32LE(text.charCodeAt(i), 4 + i * 4);
    expect(decodeText(le)).toEqual({
      ok: false,
      reason: 'UTF-32 text, which the studio does not read; save it as UTF-8',
    });
  });
});
