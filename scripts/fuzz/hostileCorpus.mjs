// A seeded corpus of hostile files for the import: `buildHostileCorpus(root, { seed, count })`
// writes `root/images` (to import as images) and `root/texts` (to import as text) and returns a
// manifest of every entry it made. Used at full size by `npm run fuzz:import`
// (scripts/fuzz-import.mjs) and as a small slice by main/datasets/import/hostileFiles.test.ts.
//
// Plain ESM JavaScript so bare Node, vitest and tsc (through hostileCorpus.d.mts) all load it.

import { execFile, execFileSync } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  MUTATIONS,
  baseImages,
  declaredHuge,
  foreignFiles,
  oddValidPngs,
  pngBomb,
  tiffIfdLoop,
  tiffIfdPastEnd,
} from './hostileImages.mjs';
import { TEXT_CASES } from './hostileTexts.mjs';

const execFileAsync = promisify(execFile);

/** mulberry32, as main/common/random.ts: the same seed builds the same corpus. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A token written into file contents; no import message may ever contain one. */
export const CANARY_PATTERN = /CANARY\d+x\d+Q/;

const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp', 'tiff', 'avif', 'svg'];
const EXTENSION = {
  png: 'png',
  jpeg: 'jpg',
  gif: 'gif',
  webp: 'webp',
  tiff: 'tif',
  avif: 'avif',
  svg: 'svg',
};
/** Class folders a person (or a ZIP from elsewhere) could make. */
const CLASS_NAMES = [
  'plain',
  'new\nline',
  'rtl\u202egnp.exe',
  'ctrl\u0001\u001f\u007f',
  ' spaced ',
  'émoji 🐈',
  'cafe\u0301',
  '#hash?%*:\\back',
  '-dash',
  'é'.repeat(100),
];

/** A file name in one of the hostile styles; `i` keeps it unique, `ext` may be empty. */
function hostileName(random, i, ext) {
  const dot = ext ? `.${ext}` : '';
  const styles = [
    () => `f${i}`,
    () => `new\nline ${i}`,
    () => `ctrl\u0001\u0002\u0003\u0007\u0008\u001b${i}`,
    () => `\u202e${i}gnp\u200f\u200e\u061c`,
    () => `  ${i} trailing dots...`,
    () => `${i}#L3?x=%00*:"<>|`,
    () => `-${i} --json`,
    () => `CON ${i}`,
    () => `${i} \u{1f408}\u200d\u2b1b \u0915\u094d\u0937`,
    // Near NAME_MAX (255 bytes): two-byte letters, so the limit is in bytes, not characters.
    () => {
      const head = `${i}-`;
      const room = 255 - Buffer.byteLength(head) - Buffer.byteLength(dot);
      return head + 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
    },
  ];
  return styles[Math.floor(random() * styles.length)]() + dot;
}

/**
 * Builds the corpus. `count` is roughly how many entries (files, links, pipes) it holds: the
 * structural cases (deep and looping folders, permissions, volatile files) are always there and
 * the byte cases are drawn in order, cycling, so even a small count covers most of them.
 */
export async function buildHostileCorpus(root, { seed = 1, count = 300 } = {}) {
  const random = mulberry32(seed);
  const manifest = {
    seed,
    root,
    images: path.join(root, 'images'),
    texts: path.join(root, 'texts'),
    entries: [],
    notExercised: [],
    volatile: [],
  };
  let serial = 0;
  const canary = () => `CANARY${seed}x${serial}Q`;
  const add = async (folder, relativePath, bytes, kase, extra = {}) => {
    const file = path.join(root, folder, relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes);
    manifest.entries.push({ folder, relativePath, case: kase, ...extra });
    serial++;
    return file;
  };
  const classFolder = () => {
    const r = random();
    return r < 0.15 ? '' : CLASS_NAMES[Math.floor(random() * CLASS_NAMES.length)];
  };
  const inClass = (name) => {
    const c = classFolder();
    return c ? `${c}/${name}` : name;
  };

  const bases = await baseImages(random);
  const odd = await oddValidPngs(random);
  const foreign = foreignFiles(random, canary());

  // Byte cases for the image folder, each (random) → [case, bytes, ext].
  const imageCases = [];
  for (const format of IMAGE_FORMATS) {
    for (const [mutation, mutate] of Object.entries(MUTATIONS)) {
      imageCases.push(() => [
        `${format}:${mutation}`,
        mutate(bases[format], random, canary()),
        EXTENSION[format],
      ]);
    }
    // AVIF's size is in a nested ISOBMFF box; the other headers are patched in place.
    if (format !== 'avif')
      imageCases.push(() => [
        `${format}:declared-huge`,
        declaredHuge(format, bases[format]),
        EXTENSION[format],
      ]);
    const liar = IMAGE_FORMATS[(IMAGE_FORMATS.indexOf(format) + 1) % IMAGE_FORMATS.length];
    imageCases.push(() => [`${format}:named-${liar}`, bases[format], EXTENSION[liar]]);
    imageCases.push(() => [`${format}:zero-bytes`, Buffer.alloc(0), EXTENSION[format]]);
    imageCases.push(() => [`${format}:text-inside`, foreign.text, EXTENSION[format]]);
  }
  imageCases.push(() => ['tiff:ifd-loop', tiffIfdLoop(bases.tiff), 'tiff']);
  imageCases.push(() => ['tiff:ifd-past-end', tiffIfdPastEnd(bases.tiff), 'tif']);
  for (const [name, bytes] of Object.entries(odd)) {
    const ext = name.endsWith('Jpeg') ? 'jpg' : 'png';
    imageCases.push(() => [`odd:${name}`, bytes, ext]);
  }
  for (const [name, bytes] of Object.entries(foreign)) {
    const ext =
      name === 'bmp'
        ? 'bmp'
        : name.startsWith('svg')
          ? 'svg'
          : name === 'gifNoFrames'
            ? 'gif'
            : name.startsWith('webp')
              ? 'webp'
              : name === 'text'
                ? 'png'
                : 'jpg';
    imageCases.push(() => [`foreign:${name}`, bytes, ext]);
  }
  imageCases.push(() => ['png:named-bmp', bases.png, 'bmp']);
  imageCases.push(() => ['png:no-extension', bases.png, '']);
  imageCases.push(() => ['text:named-txt-in-images', foreign.text, 'txt']);
  imageCases.push(() => ['svg:canary-text', bases.svgWith(`<text>${canary()}</text>`), 'svg']);
  const textCases = Object.entries(TEXT_CASES).map(([name, make]) => () => {
    const { ext, bytes } = make(random, canary());
    return [`text:${name}`, bytes, ext];
  });
  textCases.push(() => ['image:png-named-png-in-texts', bases.png, 'png']);
  textCases.push(() => ['text:zero-bytes', Buffer.alloc(0), 'txt']);

  const structural = await structuralCases();
  const byteBudget = Math.max(0, count - structural);
  const imageShare = Math.round(byteBudget * 0.65);
  for (let k = 0; k < byteBudget; k++) {
    const images = k < imageShare;
    const cases = images ? imageCases : textCases;
    const at = images ? k : k - imageShare;
    const [kase, bytes, ext] = cases[at % cases.length]();
    await add(images ? 'images' : 'texts', inClass(hostileName(random, serial, ext)), bytes, kase);
  }
  return manifest;

  async function structuralCases() {
    const before = manifest.entries.length;
    const png = bases.png;
    // Deep nesting: 60 levels, a file at the bottom, in both folders.
    const deep = Array.from({ length: 60 }, (_, i) => `level${i}`).join('/');
    await add('images', `deep/${deep}/bottom.png`, png, 'folder:60-levels');
    await add(
      'texts',
      `deep/${deep}/bottom.txt`,
      Buffer.from(`at the bottom ${canary()}`),
      'folder:60-levels',
    );
    // Deeper than PATH_MAX (4096 bytes): made from inside with relative names, since no absolute
    // path reaches the bottom.
    for (const folder of ['images', 'texts']) {
      const top = path.join(root, folder, 'pathmax');
      await fs.mkdir(top, { recursive: true });
      const level = 'p'.repeat(250);
      const bottom = path.join(
        root,
        folder,
        'deep',
        deep,
        folder === 'images' ? 'bottom.png' : 'bottom.txt',
      );
      // process.chdir takes a relative name as it is, where a shell's cd builds the long path.
      const climb = `const fs = require('node:fs'); process.chdir(process.argv[1]);
        for (let i = 0; i < 20; i++) { fs.mkdirSync(process.argv[2]); process.chdir(process.argv[2]); }
        fs.writeFileSync('bottom.txt', 'x'); fs.copyFileSync(process.argv[3], 'bottom.png');`;
      execFileSync(process.execPath, ['-e', climb, top, level, bottom]);
      manifest.entries.push({
        folder,
        relativePath: `pathmax/${`${level}/`.repeat(20)}bottom.txt`,
        case: 'folder:beyond-path-max',
      });
      manifest.entries.push({
        folder,
        relativePath: `pathmax/${`${level}/`.repeat(20)}bottom.png`,
        case: 'folder:beyond-path-max',
      });
    }
    // Symbolic links: loops, a chain, dangling, and out of the folder.
    for (const folder of ['images', 'texts']) {
      const links = path.join(root, folder, 'links');
      await fs.mkdir(path.join(links, 'inner'), { recursive: true });
      const link = async (target, name, kase) => {
        await fs.symlink(target, path.join(links, name));
        manifest.entries.push({ folder, relativePath: `links/${name}`, case: kase });
      };
      await link('..', 'inner/up', 'link:loop-to-parent');
      await link('self', 'self', 'link:self');
      await link('chain-b', 'chain-a', 'link:chain');
      await link('chain-a', 'chain-b', 'link:chain');
      await link('/nonexistent/nothing.png', 'dangling.png', 'link:dangling');
      await link('/etc/passwd', 'passwd.txt', 'link:outside');
      await link(root, 'to-root', 'link:to-corpus-root');
    }
    // Special files: a named pipe would block a reader forever.
    for (const folder of ['images', 'texts']) {
      const fifo = path.join(
        root,
        folder,
        'special',
        folder === 'images' ? 'pipe.png' : 'pipe.txt',
      );
      await fs.mkdir(path.dirname(fifo), { recursive: true });
      try {
        execFileSync('mkfifo', [fifo]);
        manifest.entries.push({
          folder,
          relativePath: path.relative(path.join(root, folder), fifo),
          case: 'special:fifo',
        });
      } catch {
        manifest.notExercised.push({ case: 'special:fifo', why: 'mkfifo is not available here' });
      }
    }
    // Sparse files larger than the import reads: cheap on disk, refused by size.
    await add('images', 'big/sparse.png', Buffer.alloc(0), 'size:over-image-limit');
    await fs.truncate(path.join(root, 'images', 'big', 'sparse.png'), 600 * 1024 * 1024);
    await add('texts', 'big/sparse.txt', Buffer.alloc(0), 'size:over-text-limit');
    await fs.truncate(path.join(root, 'texts', 'big', 'sparse.txt'), 300 * 1024 * 1024);
    // A real decompression bomb (under the pixel limit) and a hard link of a good file.
    await add('images', 'bomb/81-megapixels.png', pngBomb(), 'png:bomb-under-limit');
    const good = await add('images', 'links-hard/original.png', png, 'png:valid');
    await fs.link(good, path.join(root, 'images', 'links-hard', 'hardlink.png'));
    manifest.entries.push({
      folder: 'images',
      relativePath: 'links-hard/hardlink.png',
      case: 'link:hard',
    });
    // A folder named like an image, and system files the import must ignore.
    await add('images', 'folder.png/inside.png', png, 'folder:named-png');
    await add('images', 'plain/._shadow.png', Buffer.from('AppleDouble'), 'system:appledouble');
    await add(
      'texts',
      'plain/.DS_Store',
      Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]),
      'system:ds-store',
    );
    // Unreadable permissions. Root reads everything, so say so rather than pretend.
    for (const folder of ['images', 'texts']) {
      const ext = folder === 'images' ? 'png' : 'txt';
      const file = await add(
        folder,
        `locked/secret.${ext}`,
        folder === 'images' ? png : Buffer.from(`secret ${canary()}`),
        'permission:file-000',
      );
      const dir = path.dirname(
        await add(
          folder,
          `locked-dir/inside.${ext}`,
          folder === 'images' ? png : Buffer.from('inside'),
          'permission:folder-000',
        ),
      );
      await fs.chmod(file, 0o000);
      await fs.chmod(dir, 0o000);
      if (canOpen(file)) {
        manifest.notExercised.push({
          case: `permission:000 (${folder})`,
          why: `running as uid ${process.getuid?.() ?? '?'}, which reads files whatever their mode; the import read them`,
        });
      }
    }
    // Files that vanish, grow, shrink or turn into folders while the import runs (startChaos).
    const volatileKinds = ['delete', 'append', 'truncate', 'become-folder', 'become-pipe'];
    for (const folder of ['images', 'texts']) {
      for (const action of volatileKinds) {
        for (let v = 0; v < 2; v++) {
          const ext = folder === 'images' ? 'png' : 'txt';
          const bytes = folder === 'images' ? png : Buffer.from(`volatile ${canary()}\n`);
          const relativePath = `volatile/${action}-${v}.${ext}`;
          const absolutePath = await add(folder, relativePath, bytes, `volatile:${action}`, {
            volatile: true,
          });
          manifest.volatile.push({ absolutePath, action, bytes });
        }
      }
    }
    return manifest.entries.length - before;
  }
}

function canOpen(file) {
  try {
    closeSync(openSync(file, 'r'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps changing the volatile files (deleting and restoring, appending, truncating, swapping a
 * file for a folder) every few milliseconds until `stop()`, which restores nothing: the import
 * must cope with whatever state each file is in when it gets there.
 */
export function startChaos(volatile, { seed = 1, intervalMs = 2 } = {}) {
  const random = mulberry32(seed ^ 0x5eed);
  let actions = 0;
  let busy = false;
  const step = async () => {
    if (busy || volatile.length === 0) return;
    busy = true;
    const target = volatile[Math.floor(random() * volatile.length)];
    try {
      await mutate(target, random);
      actions++;
    } catch {
      // A race with the import itself (or with the previous action) is the point, not a failure.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void step(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      while (busy) await new Promise((resolve) => setTimeout(resolve, 1));
      return { actions };
    },
  };
}

async function mutate({ absolutePath, action, bytes }, random) {
  const stat = await fs.lstat(absolutePath).catch(() => null);
  if (action === 'delete') {
    if (stat) await fs.rm(absolutePath, { recursive: true, force: true });
    else await fs.writeFile(absolutePath, bytes);
  } else if (action === 'append') {
    if (stat && stat.size > 256 * 1024) await fs.writeFile(absolutePath, bytes);
    else await fs.appendFile(absolutePath, Buffer.alloc(1 + Math.floor(random() * 8192), 0x41));
  } else if (action === 'truncate') {
    if (stat && stat.size > 0) await fs.truncate(absolutePath, Math.floor(random() * stat.size));
    else await fs.writeFile(absolutePath, bytes);
  } else if (action === 'become-pipe') {
    // A reader that opens a named pipe waits for a writer that never comes.
    await fs.rm(absolutePath, { force: true });
    if (stat?.isFIFO()) await fs.writeFile(absolutePath, bytes);
    else await execFileAsync('mkfifo', [absolutePath]);
  } else if (action === 'become-folder') {
    if (stat?.isDirectory()) {
      await fs.rm(absolutePath, { recursive: true, force: true });
      await fs.writeFile(absolutePath, bytes);
    } else {
      await fs.rm(absolutePath, { force: true });
      await fs.mkdir(absolutePath);
      await fs.writeFile(path.join(absolutePath, `inside${path.extname(absolutePath)}`), bytes);
    }
  }
}

/**
 * Removes the corpus: read permission back first (for a user who is not root), then `rm -rf`,
 * since Node's recursive fs.rm cannot reach below PATH_MAX and the corpus goes deeper.
 */
export async function removeCorpus(manifest) {
  await unlockCorpus(manifest);
  execFileSync('rm', ['-rf', '--', manifest.root]);
}

async function unlockCorpus(manifest) {
  for (const folder of ['images', 'texts']) {
    await fs.chmod(path.join(manifest.root, folder, 'locked-dir'), 0o755).catch(() => undefined);
    for (const ext of ['png', 'txt']) {
      await fs
        .chmod(path.join(manifest.root, folder, 'locked', `secret.${ext}`), 0o644)
        .catch(() => undefined);
    }
  }
}
