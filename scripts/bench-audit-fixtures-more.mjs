// Two more fixtures of issue 13 for `npm run bench:audit`, built by a seed from data packages
// ship, none hand-picked:
//
// - icon-outliers: Debian's Adwaita symbolic icons (grey glyphs on transparent, 48×48, the
//   adwaita-icon-theme package) filed by their category, with foreign images among them: scanned
//   digits of the `mnist` package and shaded "legacy" Adwaita icons, both stored like the
//   symbolic ones (grey glyph, transparent background), so that only their look, not their
//   channels (which the channel findings report), sets them apart. The outlier detector was not
//   tuned on it: it checks that the tone score does not only fit the digit fixture.
// - digit-near-copies: real digit scans where some items have a near copy (shifted by a pixel
//   or two, with a little noise, or brightened / darkened), among distinct scans of the same
//   digit, which look alike but are not copies.
//
// Plain ESM JavaScript, like bench-audit-fixture.mjs.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { rng } from './bench-audit-fixture.mjs';
import { digits } from './bench-audit-fixtures-real.mjs';

const require = createRequire(import.meta.url);
const ICONS = '/usr/share/icons/Adwaita/48x48';
const CATEGORIES = ['actions', 'status', 'devices', 'places', 'mimetypes', 'categories', 'emotes'];

function shuffled(list, random) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Whether the icons this fixture reads are installed (Debian's adwaita-icon-theme). */
export const iconsAvailable = () => existsSync(path.join(ICONS, 'actions'));

export async function iconOutliers(root, seed = 11, foreignEach = 8) {
  await rm(root, { recursive: true, force: true });
  const random = rng(seed);
  let files = 0;
  for (const category of CATEGORIES) {
    const dir = path.join(ICONS, category);
    if (!existsSync(dir)) continue;
    await mkdir(path.join(root, category), { recursive: true });
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.symbolic.png'))
      .sort()) {
      await writeFile(
        path.join(root, category, f.replace('.symbolic.png', '.png')),
        await sharp(path.join(dir, f)).png().toBuffer(),
      );
      files++;
    }
  }
  const outliers = [];
  const place = async (name, bytes) => {
    const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)];
    const rel = `${category}/${name}.png`;
    await writeFile(path.join(root, rel), bytes);
    outliers.push(rel);
    files++;
  };
  // Scanned digits, scaled to the icons' size and drawn in the symbolic icons' grey (#2e3436)
  // with the stroke as alpha: stored like an icon, but handwriting.
  for (const [i, d] of digits(foreignEach, random).entries()) {
    const alpha = await sharp(Buffer.from(d.px), { raw: { width: 28, height: 28, channels: 1 } })
      .resize(48, 48)
      // One channel out: sharp widens a one-channel raw input to sRGB, and reading those bytes
      // as alpha drew three squeezed copies of the top third of the digit (horizontal streaks).
      .extractChannel(0)
      .raw()
      .toBuffer();
    const out = Buffer.alloc(48 * 48 * 4);
    for (let p = 0; p < 48 * 48; p++) out.set([46, 52, 54, alpha[p]], p * 4);
    await place(
      `foreign-digit-${i}`,
      await sharp(out, { raw: { width: 48, height: 48, channels: 4 } })
        .png()
        .toBuffer(),
    );
  }
  // Shaded icons of the older style, made grey, among the flat symbolic ones.
  const legacy = path.join(ICONS, 'legacy');
  const colour = shuffled(
    readdirSync(legacy).filter((n) => n.endsWith('.png') && !n.includes('symbolic')),
    random,
  ).slice(0, foreignEach);
  for (const [i, f] of colour.entries())
    await place(
      `foreign-shaded-${i}`,
      await sharp(path.join(legacy, f)).ensureAlpha().greyscale().png().toBuffer(),
    );
  return { kind: 'icon-outliers', files, outliers };
}

const SIDE = 28;
const gray = (px) =>
  sharp(Buffer.from(px), { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .png()
    .toBuffer();

/** Small, content-preserving changes: what a re-scan or re-export of the same item gives. */
const NEAR = [
  (px, random) => {
    const dx = random() < 0.5 ? -1 : 1;
    const dy = Math.floor(random() * 3) - 1;
    const out = new Uint8Array(px.length);
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) {
        const sx = x - dx;
        const sy = y - dy;
        out[y * SIDE + x] = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? px[sy * SIDE + sx] : 0;
      }
    return { px: out, how: 'shift' };
  },
  (px, random) => ({
    px: px.map((v) => Math.max(0, Math.min(255, Math.round(v + (random() - 0.5) * 40)))),
    how: 'noise',
  }),
  (px, random) => {
    const f = random() < 0.5 ? 0.75 + random() * 0.1 : 1.1 + random() * 0.15;
    return { px: px.map((v) => Math.min(255, Math.round(v * f))), how: 'brightness' };
  },
];

export async function digitNearCopies(root, size, seed = 12) {
  await rm(root, { recursive: true, force: true });
  const random = rng(seed);
  const items = digits(size, random);
  const groups = [];
  const files = [];
  let n = 0;
  for (const d of items) {
    const rel = `${d.label}/${String(n++).padStart(5, '0')}.png`;
    files.push({ rel, bytes: await gray(d.px) });
    if (random() < 0.1) {
      const made = NEAR[Math.floor(random() * NEAR.length)](d.px, random);
      const copy = `${d.label}/${String(n++).padStart(5, '0')}.png`;
      files.push({ rel: copy, bytes: await gray(made.px) });
      groups.push({ paths: [rel, copy], how: made.how });
    }
  }
  for (const label of new Set(items.map((d) => d.label)))
    await mkdir(path.join(root, label), { recursive: true });
  for (const f of files) await writeFile(path.join(root, f.rel), f.bytes);
  return { kind: 'digit-near-copies', files: files.length, nearGroups: groups };
}

// Topic-labelled texts: paragraphs of the manual pages Debian installs, filed by the tool they
// document. Topic folders are what the character profile cannot tell apart and words can.
const MAN = '/usr/share/man/man1';
const TOPICS = ['git', 'openssl', 'llvm', 'perf', 'pg', 'dpkg', 'systemd', 'gcloud_compute'];

/** Whether the manual pages this fixture reads are installed. */
export const manPagesAvailable = () => existsSync(MAN);

/** The running text of a roff manual page, one paragraph per entry. */
function manParagraphs(roff) {
  const out = [];
  let current = [];
  const flush = () => {
    const text = current.join(' ').replace(/\s+/g, ' ').trim();
    if (text.length >= 80 && text.length <= 600 && text.split(' ').length >= 12) out.push(text);
    current = [];
  };
  let inSynopsis = false;
  for (const line of roff.split('\n')) {
    if (line.startsWith('.') || line.startsWith("'")) {
      if (/^\.SH/.test(line)) inSynopsis = /SYNOPSIS/.test(line);
      if (/^\.(SH|SS|PP|P|LP|TP|IP|sp|br|RS|RE|nf|fi)\b/.test(line)) flush();
      continue;
    }
    if (inSynopsis) continue;
    current.push(
      line
        .replace(/\\s[-+]?\d/g, '')
        .replace(/\\f[BIRP]|\\f\(..|\\&|\\c/g, '')
        .replace(/\\\(aq/g, "'")
        .replace(/\\\((em|en)/g, '-')
        .replace(/\\\(.{2}/g, '')
        .replace(/\\-/g, '-')
        .replace(/\\e/g, '\\')
        .replace(/\\h'[^']*'/g, ''),
    );
  }
  flush();
  return out;
}

function topicPool(random, perTopic) {
  const { gunzipSync } = require('node:zlib');
  const files = readdirSync(MAN).sort();
  const pool = [];
  for (const topic of TOPICS) {
    const pages = shuffled(
      files.filter(
        (f) =>
          f === `${topic}.1.gz` || (/^[-_]/.test(f.slice(topic.length)) && f.startsWith(topic)),
      ),
      random,
    ).slice(0, 200);
    const paragraphs = new Set();
    for (const page of pages)
      for (const p of manParagraphs(
        gunzipSync(readFileSync(path.join(MAN, page))).toString('utf8'),
      ))
        paragraphs.add(p);
    for (const text of shuffled([...paragraphs], random).slice(0, perTopic))
      pool.push({ topic, text });
  }
  return pool;
}

/**
 * `perTopic` paragraphs of each topic in its folder, then `noise` of them moved to another
 * topic's folder (label errors), or, with `randomLabels`, every one filed in a random folder.
 */
export async function topicTexts(
  root,
  { perTopic = 150, noise = 0.05, randomLabels = false, seed = 13 } = {},
) {
  await rm(root, { recursive: true, force: true });
  const random = rng(seed);
  const pool = topicPool(random, perTopic);
  for (const t of TOPICS) await mkdir(path.join(root, t), { recursive: true });
  const labelErrors = [];
  for (const [n, item] of pool.entries()) {
    let folder = item.topic;
    if (randomLabels) folder = TOPICS[Math.floor(random() * TOPICS.length)];
    else if (random() < noise) {
      const others = TOPICS.filter((t) => t !== item.topic);
      folder = others[Math.floor(random() * others.length)];
    }
    const rel = `${folder}/${String(n).padStart(5, '0')}.txt`;
    await writeFile(path.join(root, rel), item.text);
    if (!randomLabels && folder !== item.topic) labelErrors.push({ rel, trueLabel: item.topic });
  }
  return { kind: randomLabels ? 'random-topics' : 'topic-labels', files: pool.length, labelErrors };
}
