// Gallery benchmark: `node scripts/bench-gallery.mjs [--count 20000] [--mode fast|flick|both]
//   [--flick-px 200] [--trace DIR] [--json] [--keep]`.
//
// Seeds N sample rows (four runs of 28×28 PNG samples, 16 per step; a few hundred distinct files
// shared between rows) in a fresh temporary data dir whose schema the studio itself made, starts a
// real `studio serve` on it (the built out/main/cli.js: run `npm run build` first), opens the
// gallery in Chromium (playwright-core, /usr/bin/chromium) with the token link the server prints,
// and measures the time from navigation to the first tiles showing decoded images, then scrolls
// the grid and records requestAnimationFrame deltas while it scrolls (median, p95, worst, frames
// over 50 ms) and the server's CPU time meanwhile. Two modes, each on a fresh page: `fast` goes
// through the whole grid in 600 frames (about 1,200 px a frame at 20,000 samples: a stress test),
// `flick` scrolls `--flick-px` a frame for 600 frames from the top (a person's wheel flick).
// `--trace DIR` records a Chromium trace of each scroll and prints where the renderer's main
// thread spent the frames over 50 ms. A script, not a test: the figures depend on the machine.

/* global document, HTMLImageElement, requestAnimationFrame -- page.evaluate and waitForFunction bodies run in the browser */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
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
const SCROLL_FRAMES = 600;
const CLOCK_TICKS = existsSync('/proc/self/stat')
  ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))
  : 100;
const USAGE = 'use --count N, --mode fast|flick|both, --flick-px N, --trace DIR, --json, --keep';

function parseArgs(argv) {
  const args = {
    count: 20_000,
    json: false,
    keep: false,
    modes: ['fast', 'flick'],
    flickPx: 200,
    trace: null,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--count') args.count = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--keep') args.keep = true;
    else if (argv[i] === '--mode') args.modes = argv[++i] === 'both' ? args.modes : [argv[i]];
    else if (argv[i] === '--flick-px') args.flickPx = Number(argv[++i]);
    else if (argv[i] === '--trace') args.trace = path.resolve(argv[++i]);
    else throw new Error(`Unknown argument ${argv[i]} (${USAGE})`);
  }
  if (!Number.isInteger(args.count) || args.count < RUNS * PER_STEP)
    throw new Error(`--count must be a whole number of at least ${RUNS * PER_STEP}`);
  if (args.modes.some((m) => m !== 'fast' && m !== 'flick'))
    throw new Error(`--mode is fast, flick or both (${USAGE})`);
  if (!(args.flickPx > 0)) throw new Error('--flick-px must be a positive number of pixels');
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

/** CPU time (user + system, ms) a process has used so far; null off Linux. */
function cpuMsOf(pid) {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return null;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Where the renderer's main thread spent the long frames of a Chromium trace: self time (thread
 * time, so other processes on the machine do not count) per trace event name (Layout,
 * UpdateLayoutTree, FunctionCall, GC…) summed over the intervals between animation frames longer
 * than 50 ms, and over the whole scroll.
 */
function summarizeTrace(file) {
  const { traceEvents } = JSON.parse(readFileSync(file, 'utf8'));
  const names = traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const mains = names.filter((e) => e.args.name === 'CrRendererMain');
  const byThread = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || typeof e.dur !== 'number') continue;
    const tid = `${e.pid}:${e.tid}`;
    if (!byThread.has(tid)) byThread.set(tid, []);
    byThread.get(tid).push(e);
  }
  // The gallery's renderer: the main thread with the most animation frames.
  const frameStarts = (tid) =>
    (byThread.get(tid) ?? []).filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  const main = mains
    .map((m) => `${m.pid}:${m.tid}`)
    .sort((a, b) => frameStarts(b).length - frameStarts(a).length)[0];
  const frames = frameStarts(main).sort((a, b) => a - b);
  const long = [];
  for (let i = 1; i < frames.length; i++) {
    if (frames[i] - frames[i - 1] > 50_000) long.push([frames[i - 1], frames[i]]);
  }
  // Self time: an event's duration less its children's, nested by time on one thread.
  const events = byThread.get(main).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of events) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) {
      stack.pop();
    }
    // Thread time where the trace has it: on a shared machine wall time counts other processes.
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent, self.get(parent) - (e.tdur ?? e.dur));
    self.set(e, e.tdur ?? e.dur);
    stack.push(e);
  }
  const label = (e) =>
    e.name === 'FunctionCall' || e.name === 'EventDispatch'
      ? `${e.name}(${e.args?.data?.type ?? e.args?.data?.functionName ?? ''})`
      : e.name;
  // `inside` is asked in time order (events are sorted), so a cursor over `long` can only advance.
  const tally = (inside) => {
    const totals = new Map();
    for (const e of events) {
      const us = self.get(e);
      if (us <= 0 || !inside(e.ts)) continue;
      totals.set(label(e), (totals.get(label(e)) ?? 0) + us);
    }
    return [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000) }));
  };
  let l = 0;
  const inLong = (ts) => {
    while (l < long.length && long[l][1] <= ts) l++;
    return l < long.length && ts >= long[l][0];
  };
  return {
    longFrames: long.length,
    longFramesMs: Math.round(long.reduce((sum, [a, b]) => sum + b - a, 0) / 1000),
    inLongFrames: tally(inLong),
    wholeScroll: tally(() => true),
  };
}

/** Scrolls the grid by `perFrame` px an animation frame, `maxFrames` frames at most. */
async function scrollGrid(page, perFrame, maxFrames) {
  return page.evaluate(
    async ({ perFrame, maxFrames }) => {
      const grid = document.querySelector('[data-testid="sample-grid"]');
      const deltas = [];
      const rendered = [];
      let last = performance.now();
      const end = grid.scrollHeight - grid.clientHeight;
      // `perFrame` 0: through the whole grid in `maxFrames` steps, so the run is the same on
      // every machine.
      const step = perFrame || Math.max(60, Math.ceil(end / maxFrames));
      await new Promise((resolve) => {
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          rendered.push(Number(grid.getAttribute('data-rendered')));
          if (grid.scrollTop >= end || deltas.length > maxFrames) return resolve();
          grid.scrollTop = Math.min(end, grid.scrollTop + step);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return {
        deltas: deltas.slice(1),
        maxRendered: Math.max(...rendered),
        scrolledPx: grid.scrollTop,
        perFrame: step,
      };
    },
    { perFrame, maxFrames },
  );
}

/** One mode on a fresh page (its own cache): open the gallery, time the first tiles, scroll. */
async function measureMode(browser, server, mode, args, work) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
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
    const trace = args.trace && path.join(args.trace, `trace-${mode}.json`);
    if (trace) {
      await fs.mkdir(args.trace, { recursive: true });
      await browser.startTracing(page, {
        path: trace,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'loading',
          'v8.execute',
        ],
      });
    }
    const serverCpuBefore = cpuMsOf(server.child.pid);
    const scroll =
      mode === 'fast'
        ? await scrollGrid(page, 0, SCROLL_FRAMES)
        : await scrollGrid(page, args.flickPx, SCROLL_FRAMES);
    const serverCpuAfter = cpuMsOf(server.child.pid);
    if (trace) await browser.stopTracing();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="sample-card"]').length,
    );
    if (args.keep) await page.screenshot({ path: path.join(work, `gallery-${mode}.png`) });
    return {
      mode,
      shown,
      firstTilesMs: Math.round(firstTilesMs),
      ...stats(scroll.deltas),
      scrolledPx: scroll.scrolledPx,
      pxPerFrame: scroll.perFrame,
      maxTilesRendered: scroll.maxRendered,
      serverCpuMs: serverCpuBefore === null ? null : Math.round(serverCpuAfter - serverCpuBefore),
      ...(trace ? { trace, profile: summarizeTrace(trace) } : {}),
    };
  } finally {
    await context.close();
  }
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
    const modes = [];
    for (const mode of args.modes) modes.push(await measureMode(browser, server, mode, args, work));
    const result = {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      samples: args.count,
      judged,
      seedMs: Math.round(seedMs),
      modes,
      ...(args.keep ? { kept: work } : {}),
    };
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `${result.samples} samples, ${judged} with nearest items (${modes[0].shown}); seeded in ` +
          `${result.seedMs} ms; ${result.cpu}, ${result.cores} cores`,
      );
      for (const m of modes) {
        console.log(
          `${m.mode}: first tiles ${m.firstTilesMs} ms; scroll ${m.scrolledPx} px at ` +
            `${m.pxPerFrame} px/frame: ${m.frames} frames, median ${m.medianMs} ms, p95 ${m.p95Ms} ms, ` +
            `worst ${m.worstMs} ms, ${m.over50ms} over 50 ms; at most ${m.maxTilesRendered} tiles ` +
            `rendered; server CPU ${m.serverCpuMs ?? '?'} ms`,
        );
        if (m.profile) {
          const list = (rows) => rows.map((r) => `${r.name} ${r.ms}`).join(', ');
          console.log(
            `  trace ${m.trace}: ${m.profile.longFrames} long frames (${m.profile.longFramesMs} ms)`,
          );
          console.log(`  main thread in long frames (ms self): ${list(m.profile.inLongFrames)}`);
          console.log(`  main thread over the scroll (ms self): ${list(m.profile.wholeScroll)}`);
        }
      }
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
