import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';

// Evaluating runs end to end over the real ML worker (the built out/main/mlWorker.js): a tiny
// run is judged when it completes, its figures land in its metrics at the checkpoint's step,
// the evidence in its evaluation document, and evaluating again reuses the version's cached
// feature network with the same figures.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

let core: StudioCore;
let cleanup: () => Promise<void>;
let imageDataset: number;
let textDataset: number;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir();
  cleanup = t.cleanup;
  core = new StudioCore({
    dataDir: t.dir,
    shell: 'browser',
    workerPath: WORKER,
    evaluation: { imageSamples: 48, textSamples: 4, featureNetworkSteps: 30 },
  });
  imageDataset = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
    .dataset.id;
  textDataset = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-text')))
    .dataset.id;
}, 120_000);

afterAll(async () => {
  await core.close();
  await cleanup();
});

const IMAGE_FIGURES = [
  'eval_frechet_distance',
  'eval_kid',
  'eval_precision',
  'eval_recall',
  'eval_density',
  'eval_coverage',
  'eval_near_copy_share',
  'eval_data_copying_z',
  'eval_class_total_variation',
  'eval_missing_classes',
  'cost_parameters',
  'cost_ms_per_sample',
];

/** Each eval_quick_* figure's steps, as the run stored them. */
function quickSteps(runId: number): Map<string, Map<number, number>> {
  const byName = new Map<string, Map<number, number>>();
  for (const m of core.runs.get(runId).metrics) {
    if (!m.name.startsWith('eval_quick_')) continue;
    const steps = byName.get(m.name) ?? new Map<number, number>();
    steps.set(m.step, m.value);
    byName.set(m.name, steps);
  }
  return byName;
}

describe('the quick in-run evaluation, recorded', () => {
  it('stores a tiny image run’s quick figures at every validation step, the same for the same seed', async () => {
    const runOnce = async () => {
      const started = await core.runs.start({
        datasetId: imageDataset,
        presetId: 'conv-vae-tiny',
        steps: 40,
        evaluateAtEnd: false,
      });
      const run = await core.runs.waitFor(started.id);
      expect(run.status).toBe('completed');
      return run.id;
    };
    const first = quickSteps(await runOnce());
    // conv-vae-tiny validates every 20 steps.
    for (const name of [
      'eval_quick_frechet_distance',
      'eval_quick_kid',
      'eval_quick_coverage',
      'eval_quick_near_copy_share',
      'eval_quick_data_copying_z',
    ]) {
      expect([...(first.get(name)?.keys() ?? [])], name).toEqual([20, 40]);
    }
    const second = quickSteps(await runOnce());
    expect(second).toEqual(first);
  }, 300_000);

  it('stores a tiny text run’s copy and diversity figures at every validation step', async () => {
    const started = await core.runs.start({
      datasetId: textDataset,
      presetId: 'char-gpt-tiny',
      // The preset validates every 50 steps, and the run validates at its end too.
      steps: 51,
      evaluateAtEnd: false,
    });
    const run = await core.runs.waitFor(started.id);
    expect(run.status).toBe('completed');
    const quick = quickSteps(run.id);
    for (const name of [
      'eval_quick_char8_overlap',
      'eval_quick_line_copy_share',
      'eval_quick_distinct_chars_4',
    ]) {
      expect([...(quick.get(name)?.keys() ?? [])], name).toEqual([50, 51]);
    }
    const cost = core.runs.get(run.id).metrics.filter((m) => m.name === 'cost_quick_evaluation_ms');
    expect(cost.map((m) => m.step)).toEqual([50, 51]);
  }, 400_000);
});

describe('EvaluationService', () => {
  it('judges a tiny image run when it completes, and again on demand from the cached network', async () => {
    const started = await core.runs.start({
      datasetId: imageDataset,
      presetId: 'conv-vae-tiny',
      steps: 8,
    });
    const run = await core.runs.waitFor(started.id);
    expect(run.status).toBe('completed');
    expect(run.message).toBeNull();
    const atEnd = await core.evaluation.latest(run.id);
    expect(atEnd).not.toBeNull();
    expect(atEnd?.step).toBe(run.checkpointStep);
    // The quick in-run evaluation trained the version's feature network at the run's start and
    // cached it: the end evaluation judges with that same network.
    expect(atEnd?.featureNetworkCached).toBe(true);
    const stored = core.runs.get(run.id).metrics.filter((m) => m.step === atEnd?.step);
    const names = new Set(stored.map((m) => m.name));
    for (const figure of IMAGE_FIGURES) expect(names.has(figure), figure).toBe(true);
    expect(atEnd?.imageSamples).toHaveLength(8);
    const gallery = new Set(core.samples(run.id).map((s) => s.id));
    for (const sample of atEnd?.imageSamples ?? []) {
      expect(gallery.has(sample.sampleId)).toBe(true);
      expect(sample.nearestBlobSha).toMatch(/^[0-9a-f]{64}$/);
      expect(sample.distanceRatio).toBeGreaterThanOrEqual(0);
    }
    expect(atEnd?.cost.parameters).toBeGreaterThan(0);
    // The gallery reads the same evidence with the samples: nearest items in features and pixels.
    const judged = await core.handlers['samples:query']({ runIds: [run.id], evaluated: true });
    expect(judged.samples.map((s) => s.id).sort()).toEqual(
      (atEnd?.imageSamples ?? []).map((s) => s.sampleId).sort(),
    );
    for (const sample of judged.samples) {
      expect(sample.evaluation).toMatchObject({ kind: 'image', step: run.checkpointStep });
      if (sample.evaluation?.kind !== 'image') continue;
      expect(sample.evaluation.nearestBlobSha).toMatch(/^[0-9a-f]{64}$/);
      expect(sample.evaluation.pixelBlobSha).toMatch(/^[0-9a-f]{64}$/);
      expect(sample.evaluation.pixelRms).toBeGreaterThanOrEqual(0);
      expect(sample.evaluation.pixelRms).toBeLessThanOrEqual(1);
      expect(sample.evaluation.featureDistance).toBeGreaterThanOrEqual(0);
    }

    // The digits are labeled: the feature classifier's class and softmax probability are kept
    // per judged sample, with its held-out accuracy, and "add to dataset" suggests that class
    // for these samples of an unconditional model.
    const predictions = new Map(
      (
        core.db
          .prepare(
            `SELECT sample_id, predicted_label, predicted_confidence, classifier_accuracy
               FROM sample_evaluations`,
          )
          .all() as {
          sample_id: number;
          predicted_label: string | null;
          predicted_confidence: number | null;
          classifier_accuracy: number | null;
        }[]
      ).map((row) => [row.sample_id, row]),
    );
    const digits = new Set(Array.from({ length: 10 }, (_, d) => String(d)));
    for (const sample of judged.samples) {
      const row = predictions.get(sample.id);
      expect(digits.has(row?.predicted_label ?? '')).toBe(true);
      expect(row?.predicted_confidence).toBeGreaterThan(0);
      expect(row?.predicted_confidence).toBeLessThanOrEqual(1);
      expect(row?.classifier_accuracy).toBeGreaterThanOrEqual(0);
      if (sample.evaluation?.kind !== 'image') continue;
      expect(sample.evaluation.predictedClass?.label).toBe(row?.predicted_label);
    }
    const ids = judged.samples.map((s) => s.id);
    const plan = await core.handlers['samples:augmentPlan']({ sampleIds: ids });
    for (const planned of plan.samples) {
      expect(planned).toMatchObject({ needsClass: true, evaluated: true });
      expect(planned.suggestion?.label).toBe(predictions.get(planned.sampleId)?.predicted_label);
      expect(planned.suggestion?.why).toMatch(/held-out items/);
    }
    const preselected = plan.samples.filter((s) => s.suggestion?.preselect);
    if (preselected.length > 0) {
      expect(preselected.map((s) => s.suggestion?.label)).toContain(plan.suggestedClass);
    } else expect(plan.suggestedClass).toBeNull();
    // A training sample no evaluation judged gets no suggestion.
    const [unjudged] = (
      await core.handlers['samples:query']({ runIds: [run.id], evaluated: false })
    ).samples;
    const unjudgedPlan = await core.handlers['samples:augmentPlan']({ sampleIds: [unjudged!.id] });
    expect(unjudgedPlan.samples[0]).toMatchObject({ evaluated: false, suggestion: null });

    const again = await core.evaluation.evaluate(run.id);
    expect(again.featureNetworkCached).toBe(true);
    expect(again.metrics).toEqual(atEnd?.metrics);
  }, 240_000);

  it('judges a text run on demand: copied stretches inside each sample, bits per character', async () => {
    const started = await core.runs.start({
      datasetId: textDataset,
      presetId: 'char-gpt-tiny',
      steps: 6,
      evaluateAtEnd: false,
    });
    const run = await core.runs.waitFor(started.id);
    expect(await core.evaluation.latest(run.id)).toBeNull();
    await expect(core.evaluation.evaluate(run.id, run.step + 1)).rejects.toMatchObject({
      code: 'invalid-input',
    });
    const evaluation = await core.evaluation.evaluate(run.id);
    expect(evaluation.kind).toBe('text');
    expect(evaluation.textSamples).toHaveLength(4);
    for (const sample of evaluation.textSamples) {
      expect(sample.copyStart).toBeGreaterThanOrEqual(0);
      expect(sample.copyEnd).toBeLessThanOrEqual(sample.text.length);
    }
    expect(evaluation.metrics.eval_val_bpc).toBeGreaterThan(0);
    expect(evaluation.cost.msPerCharacter).toBeGreaterThan(0);
    const names = new Set(core.runs.get(run.id).metrics.map((m) => m.name));
    expect(names.has('eval_longest_copy')).toBe(true);
    expect(await core.evaluation.latest(run.id)).toEqual(evaluation);
    // The evaluated texts join the gallery with their copied stretch and how they were drawn.
    const judged = await core.handlers['samples:query']({ runIds: [run.id], evaluated: true });
    expect(judged.total).toBe(4);
    for (const sample of judged.samples) {
      const evaluated = evaluation.textSamples.find((t) => t.sampleId === sample.id);
      expect(sample.text).toBe(evaluated?.text);
      expect(sample.evaluation).toEqual({
        kind: 'text',
        step: evaluation.step,
        copyStart: evaluated?.copyStart,
        copyEnd: evaluated?.copyEnd,
      });
      expect(sample.provenance).toMatchObject({ origin: 'text', seed: 1234, temperature: 0.8 });
    }
  }, 240_000);
});
