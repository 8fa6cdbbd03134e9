import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { tempDir } from '../testing/fixtures';

// kill -9 of the command line at seeded random moments of an import, an audit, a training run, a
// resume and an export. After each: the database passes `pragma integrity_check`, the next command
// takes the dead process's lock over and repairs what it left (no run still 'running', no half
// import), and a run resumes to the number of steps it was asked for. FAULT_ROUNDS (default 3) and
// FAULT_SEED choose how many moments and which; `npm run fault:test` runs 20.
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'studio.js');
const IMAGES = path.join(REPO, 'resources', 'sample-images');
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 3);
const SEED = Number(process.env.FAULT_SEED ?? 1);
const STEPS = 40;

interface CliResult {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let cleanup: () => Promise<void>;

/** Runs `studio … --data-dir`, killed with SIGKILL after `killAfterMs` if it is still running. */
function studio(args: string[], killAfterMs?: number): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args]);
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, killed: killed && code === null, stdout, stderr });
    });
  });
}

async function studioOk(args: string[]): Promise<string> {
  const result = await studio(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The command killed mid-work, then the database as it left it (before any repair). */
const log: string[] = [];

async function killed(args: string[], killAfterMs: number): Promise<void> {
  const result = await studio(args, killAfterMs);
  log.push(
    `${args[0]} ${result.killed ? `killed at ${killAfterMs} ms` : `ended (${result.code})`}`,
  );
  withDb((db) => expect(db.pragma('integrity_check', { simple: true })).toBe('ok'));
}

function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'studio.db'));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

interface RunRow {
  id: number;
  status: string;
  step: number;
  total_steps: number;
  checkpoint_step: number | null;
}

/** What must hold once the next command has taken the dead process's lock over. */
function expectConsistent(): void {
  withDb((db) => {
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const unfinished = db.prepare(`SELECT id FROM datasets WHERE status != 'ready'`).all();
    expect(unfinished).toEqual([]);
    const live = db.prepare(`SELECT id FROM runs WHERE status IN ('queued', 'running')`).all();
    expect(live).toEqual([]);
    const beyond = db
      .prepare(
        `SELECT s.id FROM samples s JOIN runs r ON r.id = s.run_id
         WHERE r.status = 'completed' AND s.step > r.total_steps`,
      )
      .all();
    expect(beyond).toEqual([]);
  });
}

function run(runId: number): RunRow {
  return withDb(
    (db) =>
      db
        .prepare('SELECT id, status, step, total_steps, checkpoint_step FROM runs WHERE id = ?')
        .get(runId) as RunRow,
  );
}

/** Resumes a run to `steps` and checks it ends there. */
async function expectResumesTo(runId: number, steps: number): Promise<void> {
  const resumed = JSON.parse(
    await studioOk(['resume', '--run', String(runId), '--steps', String(steps), '--json']),
  ) as { status: string; step: number };
  expect(resumed).toMatchObject({ status: 'completed', step: steps });
}

let datasetId: number;
let baseRunId: number;

beforeAll(async () => {
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first.');
  }
  const t = tempDir('studio-fault-');
  dataDir = t.dir;
  cleanup = t.cleanup;
  datasetId = (
    JSON.parse(await studioOk(['import', IMAGES, '--name', 'digits', '--json'])) as {
      datasetId: number;
    }
  ).datasetId;
  const trained = JSON.parse(
    await studioOk([
      'train',
      '--dataset',
      String(datasetId),
      '--model',
      'vae-tiny',
      '--steps',
      String(STEPS),
      '--json',
    ]),
  ) as { id: number };
  baseRunId = trained.id;
}, 180_000);

afterAll(async () => {
  await cleanup();
});

type Phase = 'import' | 'audit' | 'train' | 'resume' | 'export';
const PHASES: Phase[] = ['import', 'audit', 'train', 'resume', 'export'];

/** The command a phase kills, and what to check once the studio recovered from it. */
async function killDuring(phase: Phase, round: number, killAfterMs: number): Promise<void> {
  const id = String(datasetId);
  if (phase === 'import') {
    await killed(['import', IMAGES, '--name', `digits-${round}`, '--json'], killAfterMs);
    await studioOk(['runs', '--json']);
    expectConsistent();
  } else if (phase === 'audit') {
    await killed(['audit', id, '--json'], killAfterMs);
    await studioOk(['runs', '--json']);
    expectConsistent();
  } else if (phase === 'train') {
    const steps = String(STEPS);
    await killed(['train', '--dataset', id, '--model', 'vae-tiny', '--steps', steps], killAfterMs);
    const runs = JSON.parse(await studioOk(['runs', '--json'])) as { id: number }[];
    expectConsistent();
    const newest = runs[0];
    if (newest !== undefined && newest.id !== baseRunId && run(newest.id).status !== 'completed') {
      // Without a checkpoint yet there is nothing to resume: the refusal says so.
      if (run(newest.id).checkpoint_step === null) {
        const refused = await studio(['resume', '--run', String(newest.id)]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/no checkpoint/);
      } else await expectResumesTo(newest.id, STEPS);
    }
  } else if (phase === 'resume') {
    const target = run(baseRunId).total_steps + STEPS;
    await killed(['resume', '--run', String(baseRunId), '--steps', String(target)], killAfterMs);
    await studioOk(['runs', '--json']);
    expectConsistent();
    if (run(baseRunId).status !== 'completed' || run(baseRunId).step !== target) {
      await expectResumesTo(baseRunId, target);
    }
  } else {
    const out = path.join(dataDir, 'exports-test', `round-${round}`);
    await killed(['export', '--run', String(baseRunId), '--all', '--out', out], killAfterMs);
    await studioOk(['runs', '--json']);
    expectConsistent();
    await studioOk(['export', '--run', String(baseRunId), '--all', '--out', `${out}-again`]);
  }
}

describe('kill -9 at random moments', () => {
  it(
    `recovers from ${ROUNDS} kills (seed ${SEED})`,
    async () => {
      const random = seededRandom(SEED);
      for (let round = 0; round < ROUNDS; round++) {
        const phase = PHASES[Math.floor(random() * PHASES.length)] ?? 'import';
        // Long enough to get past start-up (about a second), short enough to land mid-work.
        const killAfterMs = 300 + Math.floor(random() * 2500);
        await killDuring(phase, round, killAfterMs);
      }
      process.stderr.write(`fault rounds (seed ${SEED}):\n  ${log.join('\n  ')}\n`);
      // The moments are chosen to land mid-work: a run where nothing was killed tested nothing.
      expect(log.some((line) => line.includes('killed'))).toBe(true);
    },
    120_000 + ROUNDS * 60_000,
  );
});
