import { describe, expect, it } from 'vitest';
import { selectRows } from './features';
import { evaluateImageFeatures, imageEvaluationMetrics } from './imageEvaluation';
import { clusterWorld, drawClusters } from './testing/gaussianClusters';

const world = clusterWorld(2, 6, 6);
const train = drawClusters(world, 240, 1);
const validation = drawClusters(world, 120, 2);

function evaluate(samples: { rows: { values: Float32Array }; labels: Int32Array }) {
  return evaluateImageFeatures({
    dim: world.dim,
    samples: samples.rows.values,
    train: train.rows.values,
    validation: validation.rows.values,
    // The cluster labels stand in for what a feature classifier would predict.
    classes: {
      classCount: world.classCount,
      predicted: samples.labels,
      dataLabels: train.labels,
      requested: samples.labels,
    },
    kid: { subsets: 4, subsetSize: 60, seed: 1 },
  });
}

describe('evaluateImageFeatures', () => {
  it('tells a good model, a collapsed one and a copying one apart in its run metrics', () => {
    const good = imageEvaluationMetrics(evaluate(drawClusters(world, 120, 3)));
    const collapsed = imageEvaluationMetrics(evaluate(drawClusters(world, 120, 3, [0, 1, 2])));
    const copied = selectRows(
      train.rows,
      Array.from({ length: 120 }, (_, i) => i),
    );
    const copying = imageEvaluationMetrics(
      evaluate({ rows: copied, labels: train.labels.subarray(0, 120) }),
    );
    expect(collapsed.eval_missing_classes).toBe(3);
    expect(good.eval_missing_classes).toBe(0);
    expect(collapsed.eval_coverage).toBeLessThan((good.eval_coverage as number) * 0.7);
    expect(collapsed.eval_frechet_distance).toBeGreaterThan(
      5 * (good.eval_frechet_distance as number),
    );
    expect(copying.eval_near_copy_share).toBe(1);
    expect(good.eval_near_copy_share).toBeLessThan(0.05);
    expect(copying.eval_data_copying_z).toBeLessThan(-5);
    expect(good.eval_conditional_accuracy).toBe(1);
    expect(Object.keys(good).every((name) => name.startsWith('eval_'))).toBe(true);
  });

  it('adds the pixel-space neighbour when pixels are given', () => {
    const samples = drawClusters(world, 20, 4);
    const evaluation = evaluateImageFeatures({
      dim: world.dim,
      samples: samples.rows.values,
      train: train.rows.values,
      validation: validation.rows.values,
      pixels: { size: world.dim, samples: samples.rows.values, train: train.rows.values },
      kid: { subsets: 1, subsetSize: 20 },
    });
    // The "pixels" here are the features themselves, so both neighbours agree.
    for (const s of evaluation.memorisation.samples) expect(s.pixelTrainIndex).toBe(s.trainIndex);
    expect(evaluation.classes).toBeUndefined();
  });
});
