// Generation quality against PyTorch (issue 11): the studio's presets of the four reference
// architectures and ../shared/bench/quality_ref.py's PyTorch twins, trained on the same data for
// the same number of steps and scored under the twin's protocol, side by side.
//
//   npm run bench:quality -- [--steps 300] [--eval-every N] [--only vae,dcgan,charlstm,chargpt]
//                            [--variants protocol,preset,twin-init] [--images DIR] [--text FILE]
//                            [--out DIR] [--torch auto|on|off] [--threads N] [--report-only]
//                            [--train-seeds 0,1,2,3 [--sweep-samples 512]]
//
// Data (scripts/quality/data.ts): the `mnist` package's digits as 1797 class folders of 28×28
// PNGs, and "The Devil's Dictionary" from Debian's dict-devil (apt-get install -y dict-devil).
// Figures: validation nats/char and bits/char (50 fixed windows of the last 10% of the text),
// validation negative ELBO per image for the VAE (BCE summed over pixels + KL, one fixed ε); and
// for both image models the Fréchet distance (with KID, precision/recall, density/coverage) of 64
// samples from each side's PNG grid, judged by the studio's own evaluation (./quality/judge.ts),
// since the twin gives the DCGAN no quality figure (its mean D and G losses of the last evaluation
// window are printed too, not as a measure of quality). Each model trains twice in the studio where its
// preset's defaults differ from the twin's protocol: "protocol" (the twin's optimiser and loop,
// main/ml/worker/models/reference.ts) and "preset" (the preset as a person would run it). The
// twin runs in a child process meanwhile, one thread. --report-only trains nothing and prints the
// table (judging the grids again) from the results an earlier run left in --out. --train-seeds
// trains only the image models' protocol variant, once per seed on each side, and judges many
// samples of each (./quality/seedSweep.ts): one grid of 64 strays too far to tell 5%. Run through
// scripts/bench-quality.mjs.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FamilyConfig } from '../main/ml/config/configs';
import { runConfigFromPreset } from '../main/ml/config/presets';
import type { ImageTensorData } from '../main/ml/protocol';
import { resolveTrainingConfig, type TrainingConfig } from '../main/ml/config/trainingConfig';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import type { NamedVariable } from '../main/ml/worker/models/model';
import { referenceConfig } from '../main/ml/worker/models/reference';
import {
  buildCorpus,
  buildDigitFolder,
  heldOutDigits,
  IMAGE_SIZE,
  loadCorpus,
  loadDigits,
  VOCAB,
  type Corpus,
  type Digits,
} from './quality/data';
import { cutGrid, GRID } from './quality/grid';
import { imageJudge, JUDGE_DESCRIPTION, sweepJudgeDescription } from './quality/judge';
import { isImage, printTables, type Judged, type Row, type Variant } from './quality/table';
import {
  printSweep,
  studioSamples,
  twinSamples,
  type SweepResult,
  type SweepSide,
} from './quality/seedSweep';
import { gridFiles, trainStudio, type StudioResult } from './quality/studio';
import { assignWeights, twinVaeInitialWeights } from './quality/twinInit';
import {
  pythonWithTorch,
  readTwin,
  runTwin,
  twinGridFile,
  twinScript,
  type QualityTask,
  type TwinOutcome,
  type TwinResult,
} from './quality/twin';

const TASKS: readonly QualityTask[] = ['vae', 'dcgan', 'charlstm', 'chargpt'];
const PRESET: Record<QualityTask, string> = {
  vae: 'conv-vae-small',
  dcgan: 'dcgan-small',
  charlstm: 'char-lstm-small',
  chargpt: 'char-gpt-small',
};
/** What differs between the studio's model code and the twin's, whatever the config says. */
const FIXED_DIFFERENCES: Record<QualityTask, string> = {
  vae: 'init drawn as torch’s defaults but from other random numbers (variant twin-init starts from the twin’s own); BCE from logits (torch: log clamped at −100)',
  dcgan:
    'init drawn as torch’s defaults but from other random numbers; an epoch’s last partial batch is carried over, not dropped',
  charlstm: 'init as torch (embedding N(0,1), U(±1/√H))',
  chargpt:
    'init N(0, 0.02), residual projections /√(2·layers) (torch: embeddings N(0,1), Kaiming-uniform); AdamW decays weights only (torch: every parameter)',
};
const VARIANTS: readonly Variant[] = ['protocol', 'preset', 'twin-init'];

interface Options {
  steps: number;
  evalEvery: number;
  only: QualityTask[];
  variants: Variant[];
  images: string | null;
  text: string | null;
  out: string;
  torch: 'auto' | 'on' | 'off';
  reportOnly: boolean;
  /** The seed sweep's training seeds (empty: no sweep) and samples per model. */
  trainSeeds: number[];
  sweepSamples: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '300' },
      'eval-every': { type: 'string' },
      only: { type: 'string', default: TASKS.join(',') },
      variants: { type: 'string', default: 'protocol,preset' },
      images: { type: 'string' },
      text: { type: 'string' },
      out: { type: 'string', default: path.join(os.tmpdir(), 'studio-bench-quality') },
      torch: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
      'report-only': { type: 'boolean', default: false },
      'train-seeds': { type: 'string', default: '' },
      'sweep-samples': { type: 'string', default: '512' },
    },
  });
  const steps = Math.trunc(Number(values.steps));
  if (!(steps >= 1)) throw new Error('--steps must be a positive integer');
  const evalEvery = Math.trunc(Number(values['eval-every'] ?? Math.min(250, steps)));
  if (!(evalEvery >= 1)) throw new Error('--eval-every must be a positive integer');
  const only = values.only.split(',').map((t) => t.trim()) as QualityTask[];
  for (const t of only) if (!TASKS.includes(t)) throw new Error(`Unknown model ${t}`);
  const variants = values.variants.split(',').map((v) => v.trim()) as Variant[];
  for (const v of variants) {
    if (!VARIANTS.includes(v)) throw new Error(`Unknown variant ${v}`);
  }
  if (!['auto', 'on', 'off'].includes(values.torch)) throw new Error('--torch auto|on|off');
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;
  const trainSeeds =
    values['train-seeds'] === '' ? [] : values['train-seeds'].split(',').map((t) => Number(t));
  if (trainSeeds.some((t) => !Number.isInteger(t) || t < 0)) {
    throw new Error('--train-seeds must be non-negative integers');
  }
  const sweepSamples = Math.trunc(Number(values['sweep-samples']));
  if (!(sweepSamples >= 16)) throw new Error('--sweep-samples must be at least 16');
  return {
    steps,
    evalEvery,
    only,
    variants,
    images: values.images ?? null,
    text: values.text ?? null,
    out: path.resolve(values.out),
    torch: values.torch as Options['torch'],
    reportOnly: values['report-only'],
    trainSeeds,
    sweepSamples,
  };
}

/** The studio's configs for one variant, with the loop stripped of sampling and checkpoints. */
function variantConfig(task: QualityTask, variant: Variant, steps: number, seed = 1) {
  const loop = { steps, seed, sampleEvery: steps, sampleCount: 0, validateEvery: 0 };
  if (variant !== 'preset') {
    const { family, config } = referenceConfig(task);
    return { spec: { family, config } as FamilyConfig, training: resolveTrainingConfig(loop) };
  }
  const shape =
    task === 'vae' || task === 'dcgan'
      ? ({ kind: 'image', channels: 1, imageSize: 28 } as const)
      : ({ kind: 'text', vocabSize: VOCAB } as const);
  const { training, ...spec } = runConfigFromPreset(PRESET[task], shape, { steps, seed });
  const kept: Partial<TrainingConfig> = {
    warmupSteps: training.warmupSteps,
    schedule: training.schedule,
    minLearningRateRatio: training.minLearningRateRatio,
  };
  return { spec: spec as FamilyConfig, training: resolveTrainingConfig({ ...loop, ...kept }) };
}

/** Where the preset's settings differ from the twin's protocol, as "name preset (twin x)". */
function presetDifferences(task: QualityTask, steps: number): string[] {
  const protocol = variantConfig(task, 'protocol', steps);
  const preset = variantConfig(task, 'preset', steps);
  const a = protocol.spec.config as unknown as Record<string, unknown>;
  const b = preset.spec.config as unknown as Record<string, unknown>;
  const out = Object.keys(a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(b[k])} (twin ${JSON.stringify(a[k])})`);
  const t = preset.training;
  if (t.warmupSteps > 0) out.push(`warm-up ${t.warmupSteps} steps (twin none)`);
  if (t.schedule !== 'constant') {
    out.push(`${t.schedule} decay to ${t.minLearningRateRatio}× (twin constant)`);
  }
  return out;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return `${line?.split(':')[1]?.trim() ?? 'unknown'} × ${os.cpus().length}`;
  } catch {
    return `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`;
  }
}

/** Sets of 64 held-out real digits the judge scores, to show the figures' floor and spread. */
const REAL_SETS = 4;
/** Sets of samples the sweep's first studio model draws, to show the judge's own noise. */
const NOISE_DRAWS = 4;
const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The studio's result of one model and variant, as a run writes it (or an earlier run left it). */
const studioResultFile = (out: string, task: QualityTask, variant: Variant): string =>
  path.join(out, `studio-${task}-${variant}.json`);

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  mkdirSync(options.out, { recursive: true });
  const python = options.torch === 'off' ? null : pythonWithTorch();
  if (options.torch === 'on' && python === null) throw new Error('--torch on, but no torch');
  // --report-only leaves --out as it is: an earlier run's files, maybe a run still going.
  const twinSource = path.resolve(import.meta.dirname, '../../shared/bench/quality_ref.py');
  const twin = options.reportOnly ? { script: '', note: '' } : twinScript(twinSource, options.out);
  const report = await resolveBackend({
    environment: nodeBackendEnvironment(),
    preferBackend: 'wasm',
  });

  const wantImages = options.only.some(isImage);
  const wantText = options.only.some((t) => !isImage(t));
  const digitFolder = path.join(options.out, 'digits');
  const images = !wantImages
    ? null
    : (options.images ??
      (options.reportOnly && existsSync(digitFolder)
        ? digitFolder
        : await buildDigitFolder(digitFolder)));
  const corpusFile = path.join(options.out, 'devils-dictionary.txt');
  const textFile = !wantText
    ? null
    : (options.text ??
      (options.reportOnly && existsSync(corpusFile) ? corpusFile : buildCorpus(corpusFile)));
  const digits: Digits | undefined = images === null ? undefined : await loadDigits(images, python);
  const corpus: Corpus | undefined = textFile === null ? undefined : loadCorpus(textFile);
  console.error(
    `backend ${report.active}, ${String(report.threads ?? '-')} thread(s); torch ${python === null ? 'no' : 'yes'}; out ${options.out}`,
  );
  if (digits !== undefined) {
    console.error(
      `images ${images}: ${digits.trainCount} train / ${digits.validationCount} validation, split by ${digits.split}`,
    );
  }
  if (corpus !== undefined) {
    console.error(
      `text ${textFile}: ${corpus.train.length} train / ${corpus.validation.length} validation characters, ${corpus.distinct} distinct` +
        (corpus.unknownCharacters.length > 0
          ? `, ${JSON.stringify(corpus.unknownCharacters.join(''))} → unknown`
          : ''),
    );
  }

  if (options.trainSeeds.length > 0) {
    if (digits === undefined || images === null)
      throw new Error('--train-seeds needs vae or dcgan');
    if (python === null) throw new Error('--train-seeds needs /usr/bin/python3 with torch');
    await seedSweep(options, digits, images, twinSource);
    return 0;
  }

  // The twins, one after another in the background (one thread), while the studio trains.
  const twins = new Map<QualityTask, TwinOutcome>();
  let twinChain: Promise<void> = Promise.resolve();
  if (options.reportOnly) {
    for (const task of options.only) twins.set(task, readTwin(options.out, task));
  } else if (python !== null) {
    for (const task of options.only) {
      twinChain = twinChain.then(async () => {
        const data = { images: images ?? undefined, text: textFile ?? undefined };
        const outcome = await runTwin(
          twin.script,
          task,
          data,
          options.steps,
          options.evalEvery,
          options.out,
        );
        twins.set(task, outcome);
        console.error(
          `  [torch ${task}] ${'error' in outcome ? `error: ${outcome.error}` : `done in ${outcome.wallSeconds} s`}`,
        );
      });
    }
  }

  const rows: Row[] = [];
  const notes: string[] = twin.note === '' || python === null ? [] : [twin.note];
  for (const task of options.only) {
    const differences = presetDifferences(task, options.steps);
    notes.push(
      `${task} (${PRESET[task]}): preset ${differences.length > 0 ? `differs: ${differences.join('; ')}` : 'matches the twin’s protocol'}. ${FIXED_DIFFERENCES[task]}.`,
    );
    const variants = options.variants.filter(
      (v) =>
        v === 'protocol' ||
        (v === 'preset' && differences.length > 0) ||
        (v === 'twin-init' && task === 'vae' && python !== null),
    );
    for (const variant of variants.length > 0 ? variants : (['protocol'] as Variant[])) {
      const file = studioResultFile(options.out, task, variant);
      const grid = isImage(task) ? path.join(options.out, `studio-${task}-${variant}.png`) : null;
      let studio: StudioResult;
      let steps = options.steps;
      if (options.reportOnly) {
        if (!existsSync(file)) {
          console.error(`no studio result for ${task} (${variant}) in ${options.out}`);
          continue;
        }
        ({ steps, ...studio } = JSON.parse(readFileSync(file, 'utf8')) as StudioResult & {
          steps: number;
        });
      } else {
        const { spec, training } = variantConfig(task, variant, options.steps);
        console.error(`studio ${task} (${variant}), ${options.steps} steps`);
        const prepare =
          variant === 'twin-init'
            ? (model: { checkpointTensors(): NamedVariable[] }) =>
                assignWeights(
                  model.checkpointTensors(),
                  twinVaeInitialWeights(python as string, twinSource),
                )
            : undefined;
        studio = await trainStudio(
          spec,
          training,
          { digits, corpus },
          options.evalEvery,
          grid,
          prepare,
        );
        console.error(
          `  studio ${task} (${variant}): ${studio.status}, ${studio.trainSeconds.toFixed(0)} s`,
        );
        // Each result as it comes, so a bench cut short still leaves what it measured.
        writeFileSync(file, JSON.stringify({ steps: options.steps, ...studio }, null, 1));
      }
      const shown =
        variant === 'protocol' && differences.length === 0 ? 'preset = protocol' : variant;
      rows.push({ task, variant: shown, steps, studio, grid });
    }
  }
  await twinChain;

  // Both sides' image samples, judged alike once every grid is written.
  const judged: Judged = { twin: new Map(), real: [] };
  if (digits !== undefined && options.only.some(isImage)) {
    const judge = await imageJudge(digits);
    try {
      // Held-out digits of the package only mean something beside the package's own folder.
      if (options.images === null) {
        judged.real = judge.scoreSets(heldOutDigits(REAL_SETS * GRID.count));
      }
      for (const row of rows) {
        if (row.grid === null || !existsSync(row.grid)) continue;
        row.judged = judge.score(await cutGrid(row.grid));
        const files = gridFiles(row.grid);
        if (files.every((f) => existsSync(f))) {
          row.judgedSeeds = await Promise.all(
            files.map(async (f) => judge.score(await cutGrid(f))),
          );
        }
      }
      for (const task of options.only.filter(isImage)) {
        const outcome = twins.get(task);
        const file = twinGridFile(options.out, task);
        // Only a grid this run's twin wrote (or, with --report-only, the one beside its result).
        if (outcome !== undefined && !('error' in outcome) && existsSync(file)) {
          judged.twin.set(task, judge.score(await cutGrid(file)));
        }
      }
    } finally {
      judge.dispose();
    }
  }

  const torchVersion = [...twins.values()].find((t) => !('error' in t)) as TwinResult | undefined;
  const stepCounts = [...new Set(rows.map((r) => r.steps))].join('/') || String(options.steps);
  console.log(
    `\nQuality at ${stepCounts} steps · CPU ${cpuModel()} · studio ${report.active} ` +
      `${String(report.threads ?? '-')} thread(s) · PyTorch ${torchVersion?.torch ?? 'not run'}, 1 thread`,
  );
  printTables(rows, twins, judged);
  for (const note of notes) console.log(`- ${note}`);
  for (const [task, outcome] of twins) {
    if ('error' in outcome) console.log(`- PyTorch ${task} failed: ${outcome.error}`);
  }
  const result = {
    steps: options.steps,
    evalEvery: options.evalEvery,
    cpu: cpuModel(),
    rows,
    twins: Object.fromEntries(twins),
    judge: {
      description: JUDGE_DESCRIPTION,
      twin: Object.fromEntries(judged.twin),
      real: judged.real,
    },
    notes,
  };
  writeFileSync(
    path.join(options.out, options.reportOnly ? 'quality-report.json' : 'quality.json'),
    JSON.stringify(result, null, 1),
  );
  console.log(`(curves and grids in ${options.out})`);
  return 0;
}

/**
 * The image models' protocol variant trained once per seed on each side (the twins one after
 * another in the background while the studio trains), `--sweep-samples` samples of each judged by
 * one judge, and sets of as many real held-out digits for the floor.
 */
async function seedSweep(
  options: Options,
  digits: Digits,
  images: string,
  twinSource: string,
): Promise<void> {
  const tasks = options.only.filter(isImage);
  const count = options.sweepSamples;
  const drawn = new Map<string, { figure: number; samples: ImageTensorData }>();
  const key = (side: string, task: string, seed: number): string => `${side}:${task}:${seed}`;
  let twinChain: Promise<void> = Promise.resolve();
  for (const task of tasks) {
    for (const seed of options.trainSeeds) {
      twinChain = twinChain.then(async () => {
        const started = performance.now();
        drawn.set(
          key('twin', task, seed),
          await twinSamples(twinSource, task, images, options.steps, seed, count, options.out),
        );
        console.error(
          `  [torch ${task} seed ${seed}] ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      });
    }
  }
  for (const task of tasks) {
    for (const seed of options.trainSeeds) {
      const { spec, training } = variantConfig(task, 'protocol', options.steps, seed);
      console.error(`studio ${task} (protocol) seed ${seed}, ${options.steps} steps`);
      // The first seed's model draws NOISE_DRAWS sets: the judge's own noise at this size.
      const sets = seed === options.trainSeeds[0] ? NOISE_DRAWS : 1;
      const { result, samples } = await studioSamples(spec, training, digits, count * sets);
      console.error(
        `  studio ${task} seed ${seed}: ${result.status}, ${result.trainSeconds.toFixed(0)} s`,
      );
      drawn.set(key('studio', task, seed), {
        figure: task === 'vae' ? result.figure : NaN,
        samples,
      });
    }
  }
  await twinChain;

  const judge = await imageJudge(digits);
  const sweeps: SweepResult[] = [];
  try {
    const real =
      options.images === null ? judge.scoreSetsOf(heldOutDigits(REAL_SETS * count), count) : [];
    for (const task of tasks) {
      const firstSet = (samples: ImageTensorData): ImageTensorData => ({
        ...samples,
        pixels: samples.pixels.subarray(0, count * IMAGE_PIXELS),
        count,
      });
      const sides = (side: 'studio' | 'twin'): SweepSide[] =>
        options.trainSeeds.map((seed) => {
          const d = drawn.get(key(side, task, seed));
          if (d === undefined) throw new Error(`${side} ${task} seed ${seed}: nothing drawn`);
          return {
            seed,
            figure: side === 'twin' && task === 'dcgan' ? NaN : d.figure,
            judged: judge.score(firstSet(d.samples)),
          };
        });
      const noisy = drawn.get(key('studio', task, options.trainSeeds[0] ?? 0));
      // The first draw once, with its bootstrap errors; the other draws from the pixels after it.
      const drawNoise =
        noisy === undefined
          ? []
          : [
              judge.score(firstSet(noisy.samples), true),
              ...judge.scoreSetsOf(noisy.samples.pixels.subarray(count * IMAGE_PIXELS), count),
            ];
      sweeps.push({ task, count, studio: sides('studio'), twin: sides('twin'), real, drawNoise });
    }
  } finally {
    judge.dispose();
  }
  console.log(
    `\nQuality over training seeds ${options.trainSeeds.join(',')} at ${options.steps} steps · CPU ${cpuModel()} · studio wasm ${String(process.env.STUDIO_WASM_THREADS ?? 'default')} thread(s) · PyTorch 1 thread`,
  );
  printSweep(sweeps, sweepJudgeDescription(count));
  writeFileSync(
    path.join(options.out, 'quality-sweep.json'),
    JSON.stringify(
      { steps: options.steps, cpu: cpuModel(), seeds: options.trainSeeds, sweeps },
      null,
      1,
    ),
  );
  console.log(`(samples and the sweep's figures in ${options.out})`);
}
