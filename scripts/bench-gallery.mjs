// Gallery benchmark: `node scripts/bench-gallery.mjs [--count 20000] [--json] [--keep]`.
//
// Seeds N sample rows (four runs of 28×28 PNG samples, 16 per step; a few hundred distinct files
// shared between rows) in a fresh temporary data dir whose schema the studio itself made, starts a
// real `studio serve` on it (the built out/main/cli.js: run `npm run build` first), opens the
// gallery in Chromium (playwright-core, /usr/bin/chromium) with the token link the server prints,
// and measures the time from navigation to the first tiles showing decoded images, then scrolls
// the grid to its end and records requestAnimationFrame deltas while it scrolls (median, p95,
// worst, frames over 50 ms). A script, not a test: the figures depend on the machine.

/* global document, HTMLImageElement, requestAnimationFrame -- page.evaluate and waitForFunction bodies run in the browser */
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');
const RUNS = 4;
const PER_STEP = 16;
const DISTINCT_FILES = 256;

function parseArgs(argv) {
  const args = { count: 20_000, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--count') args.count = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--keep') args.keep = true;
    else throw new Error(`Unknown argument ${argv[i]} (use --count N, --json, --keep)`);
  }
  if (!Number.isInteger(args.count) || args.count < RUNS * PER_STEP)
    throw new Error(`--count must be a whole number of at least ${RUNS * PER_STEP}`);
  return args;
}

function runStudio(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STUDIO_BIN, '--data-dir', dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`studio ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [STUDIO_BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      try {
        const { url } = JSON.parse(stdout);
        resolve({ child, url });
      } catch {
        // Not the whole JSON document yet.
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => reject(new Error(`studio serve exited ${code}: ${stderr}`)));
  });
}

/** A dataset and its first version, made by the studio (so the schema is the current one). */
async function makeDataset(dataDir, work) {
  const folder = path.join(work, 'tiny-set');
  await fs.mkdir(path.join(folder, 'a'), { recursive: true });
  for (let i = 0; i < 4; i++) {
    const pixels = Buffer.alloc(28 * 28, (i * 60) & 255);
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(path.join(folder, 'a', `${i}.png`));
  }
  await runStudio(dataDir, ['import', folder, '--name', 'bench']);
}

async function seedSamples(dataDir, count) {
  const relativeDir = path.join('runs', 'bench', 'samples');
  await fs.mkdir(path.join(dataDir, relativeDir), { recursive: true });
  const files = [];
  for (let f = 0; f < DISTINCT_FILES; f++) {
    const pixels = Buffer.alloc(28 * 28);
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * (f + 3) + f * 17) & 255;
    const file = path.join(relativeDir, `sample-${f}.png`);
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(path.join(dataDir, file));
    files.push(file);
  }
  const db = new Database(path.join(dataDir, 'studio.db'));
  const { dataset_id: datasetId, id: versionId } = db
    .prepare('SELECT dataset_id, id FROM dataset_versions ORDER BY id LIMIT 1')
    .get();
  const now = new Date().toISOString();
  const insertRun = db.prepare(
    `INSERT INTO runs (dataset_id, version_id, family, preset_id, config, status, step,
       total_steps, created_at)
     VALUES (?, ?, 'conv-vae', 'conv-vae-tiny', '{}', 'completed', ?, ?, ?)`,
  );
  const insertSample = db.prepare(
    `INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at, kind, seed,
       latent_index)
     VALUES (?, ?, ?, ?, 28, 28, ?, 'image', 1, ?)`,
  );
  // One sample in four carries an evaluation's evidence (nearest items), so the pages the gallery
  // reads join it as they do after evaluations (older schemas without the table seed none).
  const items = db.prepare('SELECT id, blob_sha FROM items ORDER BY id').all();
  const hasEvidence = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sample_evaluations'`)
    .get();
  const insertEvidence = hasEvidence
    ? db.prepare(
        `INSERT INTO sample_evaluations (sample_id, step, nearest_item_id, nearest_blob_sha,
           feature_distance, distance_ratio, near_copy, pixel_item_id, pixel_blob_sha, pixel_rms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
    : null;
  let judged = 0;
  const perRun = Math.ceil(count / RUNS);
  db.transaction(() => {
    let written = 0;
    for (let r = 0; r < RUNS; r++) {
      const steps = Math.ceil(perRun / PER_STEP);
      const runId = Number(
        insertRun.run(datasetId, versionId, steps * 10, steps * 10, now).lastInsertRowid,
      );
      for (let s = 1; s <= steps; s++) {
        for (let i = 0; i < PER_STEP && written < count; i++, written++) {
          const sampleId = Number(
            insertSample.run(runId, s * 10, i, files[written % files.length], now, i)
              .lastInsertRowid,
          );
          if (insertEvidence && written % 4 === 0) {
            const near = items[written % items.length];
            const pixel = items[(written + 1) % items.length];
            const ratio = (written % 100) / 50;
            insertEvidence.run(
              sampleId,
              s * 10,
              near.id,
              near.blob_sha,
              ratio * 2,
              ratio,
              ratio < 0.1 ? 1 : 0,
              pixel.id,
              pixel.blob_sha,
              ratio / 4,
            );
            judged++;
          }
        }
      }
    }
  })();
  db.close();
  return judged;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    frames: sorted.length,
    medianMs: +at(0.5).toFixed(1),
    p95Ms: +at(0.95).toFixed(1),
    worstMs: +sorted[sorted.length - 1].toFixed(1),
    over50ms: sorted.filter((v) => v > 50).length,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-gallery-'));
  const dataDir = path.join(work, 'data');
  let server;
  let browser;
  try {
    await makeDataset(dataDir, work);
    const seedStart = performance.now();
    const judged = await seedSamples(dataDir, args.count);
    const seedMs = performance.now() - seedStart;
    server = await startServer(dataDir);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    await page.locator('[data-app-state="ready"]').waitFor();
    const navStart = performance.now();
    await page.getByTestId('nav-gallery').click();
    // First tiles: a rendered sample whose image has decoded.
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="sample-card"] img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    const firstTilesMs = performance.now() - navStart;
    const shown = await page.getByTestId('sample-count').textContent();
    const scroll = await page.evaluate(async () => {
      const grid = document.querySelector('[data-testid="sample-grid"]');
      const deltas = [];
      const rendered = [];
      let last = performance.now();
      const end = grid.scrollHeight - grid.clientHeight;
      // 60 px per frame would be 3,600 px/s at 60 fps: a fast wheel scroll, through the whole grid
      // in fixed steps per frame so the run is the same on every machine.
      const perFrame = Math.max(60, Math.ceil(end / 600));
      await new Promise((resolve) => {
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          rendered.push(Number(grid.getAttribute('data-rendered')));
          if (grid.scrollTop >= end) return resolve();
          grid.scrollTop = Math.min(end, grid.scrollTop + perFrame);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return {
        deltas: deltas.slice(1),
        maxRendered: Math.max(...rendered),
        scrolledPx: end,
        perFrame,
      };
    });
    await page.waitForFunction(() => {
      const cards = document.querySelectorAll('[data-testid="sample-card"]');
      return cards.length > 0;
    });
    if (args.keep) await page.screenshot({ path: path.join(work, 'gallery-end.png') });
    const result = {
      samples: args.count,
      judged,
      shown,
      seedMs: Math.round(seedMs),
      firstTilesMs: Math.round(firstTilesMs),
      scroll: {
        ...stats(scroll.deltas),
        scrolledPx: scroll.scrolledPx,
        pxPerFrame: scroll.perFrame,
        maxTilesRendered: scroll.maxRendered,
      },
      ...(args.keep ? { kept: work } : {}),
    };
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `${result.samples} samples, ${judged} with nearest items (${shown}); seeded in ${result.seedMs} ms`,
      );
      console.log(`first tiles: ${result.firstTilesMs} ms after opening the gallery`);
      const s = result.scroll;
      console.log(
        `scroll ${s.scrolledPx} px at ${s.pxPerFrame} px/frame: ${s.frames} frames, median ${s.medianMs} ms, ` +
          `p95 ${s.p95Ms} ms, worst ${s.worstMs} ms, ${s.over50ms} over 50 ms; ` +
          `at most ${s.maxTilesRendered} tiles rendered`,
      );
    }
  } finally {
    await browser?.close();
    if (server) {
      await new Promise((resolve) => {
        server.child.once('exit', resolve);
        server.child.kill('SIGTERM');
      });
    }
    if (!args.keep) await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
