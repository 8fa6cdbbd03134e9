// bench:quality's answer to "one set of 64 samples strays too far to tell 5%": the image models
// trained from several seeds on each side, each drawing many samples, judged alike. The twin's own
// run gives one trained model and one grid of 64 (quality_ref.py has no option for a seed or more
// samples), so the twin runs here through a small driver that imports quality_ref.py and calls its
// own run_dcgan / run_vae unchanged, with torch.manual_seed shifted by the sweep's seed (the
// weights' draw and the training noise change, the batch order stays the twin's), and keeps the
// trained model to draw from. Seed 0 is the twin's own run. The driver only watches: the trained
// computation is quality_ref.py's.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FamilyConfig } from '../../main/ml/config/configs';
import type { TrainingConfig } from '../../main/ml/config/trainingConfig';
import type { ImageTensorData } from '../../main/ml/protocol';
import type { ImageGenerator } from '../../main/ml/worker/models/model';
import { IMAGE_SIZE, type Digits } from './data';
import type { JudgeFigures } from './judge';
import { trainStudio, type StudioResult } from './studio';
import { PYTHON } from './twin';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/**
 * Runs quality_ref.py's run_dcgan or run_vae with its seeds shifted by `seed`, then draws `count`
 * samples from the trained model as it was when the run last switched it to eval (for the DCGAN
 * that is its final grid, before the batch-statistics grid updated the running statistics; for
 * the VAE its final samples, not its first evaluation at step 0) and writes
 * them as float32 [count, 28, 28] in [0, 1], with a JSON of the run's final figures beside them.
 */
const DRIVER = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
import quality_ref as q
task, images, out_dir, steps, seed, count, out_file = sys.argv[2:9]
steps, seed, count = int(steps), int(seed), int(count)
q.DIGITS, q.OUTDIR = images, out_dir
seeded = torch.manual_seed
torch.manual_seed = lambda s: seeded(s + seed)
built = []
def watched(base):
    class Watched(base):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.eval_state = None
            built.append(self)
        def train(self, mode=True):
            if not mode:
                self.eval_state = {k: v.clone() for k, v in self.state_dict().items()}
            return super().train(mode)
    return Watched
q.Generator, q.ConvVAE = watched(q.Generator), watched(q.ConvVAE)
result = q.run_dcgan(steps, steps) if task == 'dcgan' else q.run_vae(steps, steps)
model = built[-1]
if model.eval_state is not None:
    model.load_state_dict(model.eval_state)
model.eval()
noise = torch.Generator().manual_seed(10000 + seed)
with torch.no_grad():
    if task == 'dcgan':
        x = (model(torch.randn(count, q.DCGAN_LATENT, generator=noise)) + 1) / 2
    else:
        x = model.decode(torch.randn(count, q.VAE_LATENT, generator=noise))
x.clamp(0, 1).contiguous().numpy().astype('float32').tofile(out_file)
json.dump({'final': result['final'], 'wall_s': result['timing']['wall_s']}, open(out_file + '.json', 'w'))
`;

export interface SweepSide {
  seed: number;
  /** The validation −ELBO per image (VAE), NaN for the DCGAN (the twin gives it none). */
  figure: number;
  judged: JudgeFigures;
}

export interface SweepResult {
  task: 'vae' | 'dcgan';
  count: number;
  studio: SweepSide[];
  twin: SweepSide[];
  /** Sets of `count` held-out real digits: the floor and spread at this sample size. */
  real: JudgeFigures[];
  /**
   * The judge's own noise: independent sets of `count` samples of the first studio model, each
   * judged (the first with its bootstrap errors), so the spread of FID over draws of one model
   * can be set beside what the bootstrap makes of one draw, on samples it was not tested on.
   */
  drawNoise: JudgeFigures[];
}

function samplesOf(pixels: Float32Array, count: number): ImageTensorData {
  return { pixels, count, height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 };
}

/** The twin trained from `seed`; resolves to its figure and samples, or rejects with its stderr. */
export function twinSamples(
  twinSource: string,
  task: 'vae' | 'dcgan',
  images: string,
  steps: number,
  seed: number,
  count: number,
  outDir: string,
): Promise<{ figure: number; samples: ImageTensorData }> {
  const dir = path.join(outDir, `sweep-twin-${task}-seed${seed}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'samples.f32');
  const args = ['-c', DRIVER, path.dirname(twinSource), task, images, dir];
  args.push(String(steps), String(seed), String(count), file);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`twin ${task} seed ${seed}: ${stderr.trim() || `exit ${String(code)}`}`));
        return;
      }
      const bytes = readFileSync(file);
      const pixels = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      if (pixels.length !== count * PIXELS) {
        reject(
          new Error(`twin ${task} seed ${seed}: ${pixels.length} values, not ${count} images`),
        );
        return;
      }
      const { final } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as {
        final: Record<string, number>;
      };
      resolve({ figure: final.val_neg_elbo_per_image ?? NaN, samples: samplesOf(pixels, count) });
    });
  });
}

/** The studio's model trained from the config's seed; its figure and `count` fixed-noise samples. */
export async function studioSamples(
  spec: FamilyConfig,
  training: TrainingConfig,
  digits: Digits,
  count: number,
): Promise<{ result: StudioResult; samples: ImageTensorData }> {
  // `count` may hold several sets of the sweep's size: one noise draw, cut into sets by the caller.
  let pixels: Float32Array | null = null;
  const result = await trainStudio(
    spec,
    training,
    { digits },
    training.steps,
    null,
    undefined,
    (model) => {
      const image = model as ImageGenerator;
      tf.tidy(() => {
        const noise = tf.randomNormal(
          [count, image.latentDim],
          0,
          1,
          'float32',
          10_000 + training.seed,
        );
        pixels = image.generate(noise as tf.Tensor2D).dataSync() as Float32Array;
      });
    },
  );
  if (pixels === null) throw new Error(`studio ${spec.family}: no samples drawn`);
  return { result, samples: samplesOf(pixels, count) };
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const spread = (values: number[], digits: number): string =>
  `${mean(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

/** The sweep as a table: per figure, each side's mean (min–max) over seeds and the ratio of means. */
export function printSweep(sweeps: SweepResult[], judgeDescription: string): void {
  const lines: string[][] = [];
  for (const s of sweeps) {
    const seeds = `${s.studio.length}/${s.twin.length} seeds`;
    const row = (figure: string, pick: (side: SweepSide) => number, digits: number): void => {
      const a = s.studio.map(pick);
      const b = s.twin.map(pick);
      if (a.length === 0 || b.length === 0 || a.some((v) => !Number.isFinite(v))) return;
      lines.push([
        s.task,
        figure,
        spread(a, digits),
        spread(b, digits),
        (mean(a) / mean(b)).toFixed(3),
        seeds,
      ]);
    };
    if (s.task === 'vae') row('val −ELBO nats/img', (x) => x.figure, 2);
    row(`FID, ${s.count} samples`, (x) => x.judged.frechetDistance, 2);
    row('KID', (x) => x.judged.kid, 2);
    row('precision', (x) => x.judged.precision, 3);
    row('recall', (x) => x.judged.recall, 3);
    row('coverage', (x) => x.judged.coverage, 3);
    const [first, ...others] = s.drawNoise;
    if (first?.errors !== undefined && others.length > 0) {
      const fid = s.drawNoise.map((f) => f.frechetDistance);
      const sd = Math.sqrt(
        fid.reduce((sum, v) => sum + (v - mean(fid)) ** 2, 0) / Math.max(fid.length - 1, 1),
      );
      lines.push([
        s.task,
        `FID sd over ${fid.length} draws of one model / bootstrap se of one`,
        `${sd.toFixed(2)} / ${first.errors.frechetDistance.toFixed(2)}`,
        '',
        '',
        `studio seed ${s.studio[0]?.seed ?? ''}`,
      ]);
    }
    if (s.real.length > 0) {
      const fid = s.real.map((f) => f.frechetDistance);
      lines.push([
        s.task,
        `FID, ${s.count} real held-out digits`,
        spread(fid, 2),
        '',
        '',
        `${fid.length} sets`,
      ]);
    }
  }
  const header = [
    'model',
    'figure',
    'studio mean (min–max)',
    'PyTorch mean (min–max)',
    'ratio of means',
    'runs',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const show = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `\nOver training seeds (protocol variant, each side's model trained once per seed), judged by ${judgeDescription}:`,
  );
  console.log(show(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(show(line));
}
