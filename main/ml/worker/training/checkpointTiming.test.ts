import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../testing/fixtures';
import { resolveTrainingConfig } from '../../config/trainingConfig';
import type { DenseVaeConfig, JobEvent } from '../../protocol';
import { buildDenseVae } from '../models/denseVae';
import { useTestBackend } from '../testing/backend';
import { barImages, imageParts } from '../testing/syntheticImages';
import { readCheckpointManifest } from './checkpoint';
import { imageBatchSource } from './data';
import { train } from './train';

// A preset whose step interval is longer than a run (every tiny and small one) must still leave
// checkpoints behind by the clock, or a killed run has nothing to resume from.
const config: DenseVaeConfig = {
  imageSize: 8,
  channels: 1,
  latentDim: 2,
  hiddenUnits: 8,
  batchSize: 4,
  steps: 12,
  learningRate: 1e-2,
  beta: 1,
  seed: 3,
};

/** Checkpoint steps of a 12-step run whose step interval (1000) it never reaches. */
async function checkpointSteps(clock: () => number, everySeconds: number): Promise<number[]> {
  const { dir, cleanup } = tempDir('studio-ckpt-time-');
  const model = buildDenseVae(config);
  const source = imageBatchSource(imageParts(barImages(8, 8)), 4, 'zero-one');
  const events: JobEvent[] = [];
  try {
    const training = resolveTrainingConfig({
      steps: config.steps,
      seed: config.seed,
      sampleCount: 0,
      checkpointEvery: 1000,
      checkpointEverySeconds: everySeconds,
    });
    const outcome = await train(training, source, model, {
      onEvent: (event) => events.push(event),
      shouldStop: () => false,
      now: clock,
      checkpoint: {
        dir,
        family: 'dense-vae',
        config,
        data: { kind: 'image', imageSize: 8, channels: 1, classCount: 0 },
      },
    });
    expect(outcome).toMatchObject({ status: 'completed', step: 12 });
    expect((await readCheckpointManifest(dir)).step).toBe(12);
    return events.flatMap((e) => (e.type === 'checkpoint' ? [e.step] : []));
  } finally {
    source.dispose();
    model.dispose();
    await cleanup();
  }
}

/** A clock that advances `stepMs` each time it is read. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('checkpoints by time', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('checkpoints during a run shorter than its step interval once the interval of time passed', async () => {
    // Twenty simulated seconds per clock read: a minute passes every few steps.
    const steps = await checkpointSteps(steppingClock(20_000), 60);
    expect(steps.at(-1)).toBe(12);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.every((s, i) => i === 0 || s > (steps[i - 1] ?? 0))).toBe(true);
  });

  it('checkpoints only at the end when no interval of time passed, or with the timer off', async () => {
    expect(await checkpointSteps(() => 0, 60)).toEqual([12]);
    expect(await checkpointSteps(steppingClock(20_000), 0)).toEqual([12]);
  });
});
