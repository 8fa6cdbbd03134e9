// Hostile text bytes for the import fuzz corpus: every encoding found on real disks, broken ones,
// binary named as text, and CSV/JSONL that lie about their structure. Each returns
// { ext, bytes }; `canary` is a token the import must never repeat in a message.

function utf16(text, bigEndian, bom) {
  const le = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

function sentence(random, canary) {
  const words = [
    'river',
    'stone',
    'light',
    'quiet',
    'north',
    'early',
    'green',
    'under',
    'Straße',
    'café',
  ];
  const out = [];
  const n = 5 + Math.floor(random() * 12);
  for (let i = 0; i < n; i++) out.push(words[Math.floor(random() * words.length)]);
  return `${out.join(' ')} ${canary}.`;
}

/** Name → (random, canary) → { ext, bytes }. */
export const TEXT_CASES = {
  utf8: (r, c) => ({ ext: 'txt', bytes: Buffer.from(sentence(r, c)) }),
  utf8Bom: (r, c) => ({ ext: 'txt', bytes: Buffer.from(`\ufeff${sentence(r, c)}`) }),
  utf16leBom: (r, c) => ({ ext: 'txt', bytes: utf16(sentence(r, c), false, true) }),
  utf16beBom: (r, c) => ({ ext: 'txt', bytes: utf16(sentence(r, c), true, true) }),
  utf16leNoBom: (r, c) => ({ ext: 'txt', bytes: utf16(sentence(r, c), false, false) }),
  utf16beNoBom: (r, c) => ({ ext: 'md', bytes: utf16(sentence(r, c), true, false) }),
  latin1: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.from(`${sentence(r, c)} \u00e9t\u00e9 \u00bd`, 'latin1'),
  }),
  windows1252Quotes: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([
      Buffer.from([0x93]),
      Buffer.from(sentence(r, c), 'latin1'),
      Buffer.from([0x94, 0x96]),
    ]),
  }),
  invalidUtf8: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([
      Buffer.from(`${sentence(r, c)} héllo `),
      Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
    ]),
  }),
  overlongUtf8: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([
      Buffer.from(sentence(r, c)),
      Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]),
    ]),
  }),
  surrogateUtf8: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([Buffer.from(sentence(r, c)), Buffer.from([0xed, 0xa0, 0x80])]),
  }),
  loneSurrogateUtf16: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([
      utf16(sentence(r, c), false, true),
      Buffer.from([0x00, 0xd8, 0x41, 0x00]),
    ]),
  }),
  oddLengthUtf16: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.concat([utf16(sentence(r, c), false, true), Buffer.from([0x41])]),
  }),
  utf32leBom: (r, c) => {
    const text = sentence(r, c);
    const out = Buffer.alloc(4 + text.length * 4);
    out.writeUInt32LE(0xfeff, 0);
    for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.codePointAt(i) ?? 0x3f, 4 + i * 4);
    return { ext: 'txt', bytes: out };
  },
  bomOnly: () => ({ ext: 'txt', bytes: Buffer.from([0xef, 0xbb, 0xbf]) }),
  utf16BomOnly: () => ({ ext: 'txt', bytes: Buffer.from([0xff, 0xfe]) }),
  binaryGarbage: (r) => ({
    ext: 'txt',
    bytes: Buffer.from(Array.from({ length: 512 }, () => Math.floor(r() * 256))),
  }),
  nulInside: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.from(`${sentence(r, c)}\0\0${sentence(r, c)}`),
  }),
  controlCharacters: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.from(`\u0001\u0002\u0007\u001b[31m${sentence(r, c)}\u007f\u0008\u0008`),
  }),
  whitespaceOnly: () => ({ ext: 'txt', bytes: Buffer.from(' \t \n\n   \r\n\u00a0\u2003') }),
  newlinesOnly: () => ({ ext: 'txt', bytes: Buffer.from('\n\n\r\n\r\r\n') }),
  crOnly: (r, c) => ({ ext: 'txt', bytes: Buffer.from(`${sentence(r, c)}\r${sentence(r, c)}\r`) }),
  longLine: (r, c) => ({ ext: 'txt', bytes: Buffer.from(`${sentence(r, c)} `.repeat(4000)) }),
  bidiAndCombining: (r, c) => ({
    ext: 'txt',
    bytes: Buffer.from(
      `\u202e${sentence(r, c)}\u202c שלום עולם a\u0301\u0302\u0303\u0304 🐈‍⬛ \u200f`,
    ),
  }),
  markdown: (r, c) => ({
    ext: 'md',
    bytes: Buffer.from(`# Title\n\n${sentence(r, c)}\n\n\`\`\`\n<script>${c}</script>\n`),
  }),
  csvGood: (r, c) => ({
    ext: 'csv',
    bytes: Buffer.from(`text,label\n"${sentence(r, c)}",a\n"two, with comma",b\n`),
  }),
  // No header row: the first row is data, and its cells must not come back in a message.
  csvNoHeader: (r, c) => ({
    ext: 'csv',
    bytes: Buffer.from(`"${sentence(r, c)}",${c},"${sentence(r, c)}"\nsecond,row,here\n`),
  }),
  csvUnbalancedQuote: (r, c) => ({
    ext: 'csv',
    bytes: Buffer.from(`text\n"${sentence(r, c)}\nmore,"\n`),
  }),
  csvHeaderOnly: () => ({ ext: 'csv', bytes: Buffer.from('text,label\n') }),
  csvRagged: (r, c) => ({
    ext: 'csv',
    bytes: Buffer.from(`a,b,text\n1\n1,2\n1,2,${sentence(r, c)}\n,,,,,,\n`),
  }),
  csvUtf16: (r, c) => ({ ext: 'csv', bytes: utf16(`text\n${sentence(r, c)}\n`, false, true) }),
  csvBinary: (r) => ({
    ext: 'csv',
    bytes: Buffer.from(Array.from({ length: 300 }, () => Math.floor(r() * 256))),
  }),
  jsonlGood: (r, c) => ({
    ext: 'jsonl',
    bytes: Buffer.from(`${JSON.stringify({ text: sentence(r, c) })}\n`),
  }),
  jsonlBroken: (r, c) => ({
    ext: 'jsonl',
    bytes: Buffer.from(
      `{"text": "${c} unterminated\n{"nottext": 1}\n[1,2]\nnull\n"${c}"\n{"text": 42}\n`,
    ),
  }),
  jsonlDeep: () => ({
    ext: 'jsonl',
    bytes: Buffer.from(
      `${'['.repeat(100_000)}${']'.repeat(100_000)}\n{"text":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}\n`,
    ),
  }),
  jsonlHuge: (r, c) => ({
    ext: 'ndjson',
    bytes: Buffer.from(`{"text": "${c}", "n": 1e999999, "big": ${'9'.repeat(5000)}}\n`),
  }),
  pngNamedTxt: () => ({
    ext: 'txt',
    bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex'),
  }),
};
