// The PyTorch side of the quality benchmark: ../shared/bench/quality_ref.py run as a child process
// on the same files, one task after another (one thread each), while the studio trains.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type QualityTask = 'vae' | 'dcgan' | 'charlstm' | 'chargpt';

export interface TwinResult {
  figure: number;
  parts: Record<string, number>;
  torch: string;
  wallSeconds: number;
  /** The twin's own optimiser description. */
  optimizer: string;
}

export type TwinOutcome = TwinResult | { error: string };

export const PYTHON = '/usr/bin/python3';

export function pythonWithTorch(): string | null {
  if (!existsSync(PYTHON)) return null;
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0
    ? PYTHON
    : null;
}

interface TwinJson {
  optimizer: string;
  timing: { wall_s: number };
  env: { torch: string };
  final: Record<string, number>;
}

function read(task: QualityTask, json: TwinJson): TwinResult {
  const f = json.final;
  const common = {
    torch: json.env.torch,
    wallSeconds: json.timing.wall_s,
    optimizer: json.optimizer,
  };
  if (task === 'vae') {
    return {
      ...common,
      figure: f.val_neg_elbo_per_image ?? NaN,
      parts: { bce: f.val_bce_per_image ?? NaN, kl: f.val_kl_per_image ?? NaN },
    };
  }
  if (task === 'dcgan') {
    return {
      ...common,
      figure: f.D_loss_mean_last_250 ?? NaN,
      parts: { gLoss: f.G_loss_mean_last_250 ?? NaN },
    };
  }
  return {
    ...common,
    figure: f.val_nats_per_char ?? NaN,
    parts: { bitsPerChar: f.val_bits_per_char ?? NaN },
  };
}

const UNMAPPED_ID = 'itos[i] for i in out_ids';

/**
 * quality_ref.py decodes its sample with itos[i], which has no entry for the ids a corpus of
 * fewer than 96 distinct characters leaves unused, so a model early in training that samples one
 * crashes the twin after its figure is computed. A copy in `outDir` decodes those as U+FFFD; the
 * trained computation and the figure are untouched. Returns the script to run and what was done.
 */
export function twinScript(original: string, outDir: string): { script: string; note: string } {
  const source = readFileSync(original, 'utf8');
  if (!source.includes(UNMAPPED_ID)) return { script: original, note: '' };
  const script = path.join(outDir, 'quality_ref.py');
  writeFileSync(script, source.replace(UNMAPPED_ID, 'itos.get(i, "\\ufffd") for i in out_ids'));
  return {
    script,
    note: `ran a copy of ${original} whose sample decoding maps unused ids to U+FFFD`,
  };
}

/** Where runTwin has the twin write a task's result. */
export const twinResultFile = (outDir: string, task: QualityTask): string =>
  path.join(outDir, `twin-${task}.json`);

/** A task's result as an earlier run of the twin left it in `outDir`. */
export function readTwin(outDir: string, task: QualityTask): TwinOutcome {
  try {
    return read(task, JSON.parse(readFileSync(twinResultFile(outDir, task), 'utf8')) as TwinJson);
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).slice(-400) };
  }
}

/** The twin's sample grid of an image task (save_grid in quality_ref.py; for the DCGAN, G.eval()). */
export const twinGridFile = (outDir: string, task: 'vae' | 'dcgan'): string =>
  path.join(outDir, `${task}_samples.png`);

/** Runs one task; its console output goes to <outDir>/twin-<task>.log. */
export function runTwin(
  script: string,
  task: QualityTask,
  data: { images?: string; text?: string },
  steps: number,
  evalEvery: number,
  outDir: string,
): Promise<TwinOutcome> {
  const out = twinResultFile(outDir, task);
  const input =
    task === 'vae' || task === 'dcgan' ? ['--images', data.images] : ['--text', data.text];
  const args = [script, '--task', task, ...input, '--steps', String(steps)];
  args.push('--eval-every', String(evalEvery), '--out', out);
  const log = createWriteStream(path.join(outDir, `twin-${task}.log`));
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('close', (code) => {
      log.end();
      resolve(
        code === 0
          ? readTwin(outDir, task)
          : { error: (stderr.trim() || `exit ${String(code)}`).slice(-400) },
      );
    });
  });
}
