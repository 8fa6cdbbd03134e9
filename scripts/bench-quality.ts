// Generation quality against PyTorch (issue 11): the studio's presets of the four reference
// architectures and ../shared/bench/quality_ref.py's PyTorch twins, trained on the same data for
// the same number of steps and scored under the twin's protocol, side by side.
//
//   npm run bench:quality -- [--steps 300] [--eval-every N] [--only vae,dcgan,charlstm,chargpt]
//                            [--variants protocol,preset] [--images DIR] [--text FILE]
//                            [--out DIR] [--torch auto|on|off] [--threads N]
//
// Data (scripts/quality/data.ts): the `mnist` package's digits as 1797 class folders of 28×28
// PNGs, and "The Devil's Dictionary" from Debian's dict-devil (apt-get install -y dict-devil).
// Figures: validation nats/char and bits/char (50 fixed windows of the last 10% of the text),
// validation negative ELBO per image for the VAE (BCE summed over pixels + KL, one fixed ε), and
// for the DCGAN, which the twin gives no validation figure, the mean D and G losses of the last
// evaluation window (not a measure of quality). Each model trains twice in the studio where its
// preset's defaults differ from the twin's protocol: "protocol" (the twin's optimiser and loop,
// main/ml/worker/models/reference.ts) and "preset" (the preset as a person would run it). The
// twin runs in a child process meanwhile, one thread. Run through scripts/bench-quality.mjs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FamilyConfig } from '../main/ml/config/configs';
import { runConfigFromPreset } from '../main/ml/config/presets';
import { resolveTrainingConfig, type TrainingConfig } from '../main/ml/config/trainingConfig';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import { referenceConfig } from '../main/ml/worker/models/reference';
import {
  buildCorpus,
  buildDigitFolder,
  loadCorpus,
  loadDigits,
  VOCAB,
  type Corpus,
  type Digits,
} from './quality/data';
import { trainStudio, type StudioResult } from './quality/studio';
import {
  pythonWithTorch,
  runTwin,
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
  vae: 'init Glorot-uniform, zero biases (torch: Kaiming-uniform a=√5); BCE from logits (torch: log clamped at −100)',
  dcgan:
    'init N(0, 0.02) as the DCGAN paper (torch: its layer defaults); an epoch’s last partial batch is carried over, not dropped',
  charlstm: 'init as torch (embedding N(0,1), U(±1/√H))',
  chargpt:
    'init N(0, 0.02), residual projections /√(2·layers) (torch: embeddings N(0,1), Kaiming-uniform); AdamW decays weights only (torch: every parameter)',
};
type Variant = 'protocol' | 'preset';

interface Options {
  steps: number;
  evalEvery: number;
  only: QualityTask[];
  variants: Variant[];
  images: string | null;
  text: string | null;
  out: string;
  torch: 'auto' | 'on' | 'off';
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
    if (v !== 'protocol' && v !== 'preset') throw new Error(`Unknown variant ${v}`);
  }
  if (!['auto', 'on', 'off'].includes(values.torch)) throw new Error('--torch auto|on|off');
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;
  return {
    steps,
    evalEvery,
    only,
    variants,
    images: values.images ?? null,
    text: values.text ?? null,
    out: path.resolve(values.out),
    torch: values.torch as Options['torch'],
  };
}

/** The studio's configs for one variant, with the loop stripped of sampling and checkpoints. */
function variantConfig(task: QualityTask, variant: Variant, steps: number) {
  const loop = { steps, seed: 1, sampleEvery: steps, sampleCount: 0, validateEvery: 0 };
  if (variant === 'protocol') {
    const { family, config } = referenceConfig(task);
    return { spec: { family, config } as FamilyConfig, training: resolveTrainingConfig(loop) };
  }
  const shape =
    task === 'vae' || task === 'dcgan'
      ? ({ kind: 'image', channels: 1, imageSize: 28 } as const)
      : ({ kind: 'text', vocabSize: VOCAB } as const);
  const { training, ...spec } = runConfigFromPreset(PRESET[task], shape, { steps, seed: 1 });
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

interface Row {
  task: QualityTask;
  variant: Variant | 'preset = protocol';
  studio: StudioResult;
}

const fmt = (x: number | undefined, digits = 4): string =>
  x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

function unitOf(task: QualityTask): string {
  if (task === 'vae') return 'val −ELBO nats/img';
  if (task === 'dcgan') return 'D loss (G loss)';
  return 'val bits/char';
}

function printTable(rows: Row[], twins: Map<QualityTask, TwinOutcome>, options: Options): void {
  const header = ['model', 'studio variant', 'figure', 'studio', 'PyTorch', 'ratio', 'steps'];
  const lines = rows.map((row) => {
    const twin = twins.get(row.task);
    const text = row.task === 'charlstm' || row.task === 'chargpt';
    const pick = (r: { figure: number; parts: Record<string, number> }): number =>
      text ? (r.parts.bitsPerChar ?? NaN) : r.figure;
    const s = pick(row.studio);
    const t = twin !== undefined && !('error' in twin) ? pick(twin) : undefined;
    const extra = (r: { parts: Record<string, number> } | undefined): string =>
      row.task === 'dcgan' && r !== undefined ? ` (${fmt(r.parts.gLoss, 3)})` : '';
    return [
      row.task,
      row.variant,
      unitOf(row.task),
      (text ? fmt(s) : fmt(s, row.task === 'vae' ? 2 : 3)) + extra(row.studio),
      t === undefined
        ? 'error' in (twin ?? { error: '' })
          ? 'n/a'
          : '-'
        : (text ? fmt(t) : fmt(t, row.task === 'vae' ? 2 : 3)) +
          extra(twin as { parts: Record<string, number> }),
      t === undefined ? '-' : fmt(s / t, 3),
      String(options.steps),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const show = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(show(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(show(line));
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  mkdirSync(options.out, { recursive: true });
  const python = options.torch === 'off' ? null : pythonWithTorch();
  if (options.torch === 'on' && python === null) throw new Error('--torch on, but no torch');
  const twin = twinScript(
    path.resolve(import.meta.dirname, '../../shared/bench/quality_ref.py'),
    options.out,
  );
  const report = await resolveBackend({
    environment: nodeBackendEnvironment(),
    preferBackend: 'wasm',
  });

  const wantImages = options.only.some((t) => t === 'vae' || t === 'dcgan');
  const wantText = options.only.some((t) => t === 'charlstm' || t === 'chargpt');
  const images = !wantImages
    ? null
    : (options.images ?? (await buildDigitFolder(path.join(options.out, 'digits'))));
  const textFile = !wantText
    ? null
    : (options.text ?? buildCorpus(path.join(options.out, 'devils-dictionary.txt')));
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

  // The twins, one after another in the background (one thread), while the studio trains.
  const twins = new Map<QualityTask, TwinOutcome>();
  let twinChain: Promise<void> = Promise.resolve();
  if (python !== null) {
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
    const variants = options.variants.filter((v) => v === 'protocol' || differences.length > 0);
    for (const variant of variants.length > 0 ? variants : (['protocol'] as Variant[])) {
      const { spec, training } = variantConfig(task, variant, options.steps);
      console.error(`studio ${task} (${variant}), ${options.steps} steps`);
      const grid =
        task === 'vae' || task === 'dcgan'
          ? path.join(options.out, `studio-${task}-${variant}.png`)
          : null;
      const studio = await trainStudio(spec, training, { digits, corpus }, options.evalEvery, grid);
      console.error(
        `  studio ${task} (${variant}): ${studio.status}, ${studio.trainSeconds.toFixed(0)} s`,
      );
      rows.push({ task, variant: differences.length > 0 ? variant : 'preset = protocol', studio });
      // Each result as it comes, so a bench cut short still leaves what it measured.
      const file = path.join(options.out, `studio-${task}-${variant}.json`);
      writeFileSync(file, JSON.stringify({ steps: options.steps, ...studio }, null, 1));
    }
  }
  await twinChain;

  const torchVersion = [...twins.values()].find((t) => !('error' in t)) as TwinResult | undefined;
  console.log(
    `\nQuality at ${options.steps} steps · CPU ${cpuModel()} · studio ${report.active} ` +
      `${String(report.threads ?? '-')} thread(s) · PyTorch ${torchVersion?.torch ?? 'not run'}, 1 thread`,
  );
  printTable(rows, twins, options);
  console.log(
    'ratio = studio / PyTorch (lower is better; target ≤ 1.05). DCGAN losses are not a quality figure.',
  );
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
    notes,
  };
  writeFileSync(path.join(options.out, 'quality.json'), JSON.stringify(result, null, 1));
  console.log(`(curves and grids in ${options.out})`);
  return 0;
}
