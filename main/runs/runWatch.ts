// What the run service does beside recording a run's events: the alarms they raise (stored and
// pushed as `runs:alarm`), the preview grid's diversity (for the mode-collapse alarm), and the best
// checkpoint by the run's main metric, kept in its own folder so newer checkpoints never delete it.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelFamily } from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import type { GeneratedImage } from '../ml/protocol';
import type { AlarmRepository, StoredBest } from './alarmRepository';
import { AlarmDetector, meanPairwiseDistance } from './alarms';
import { MainMetric } from './mainMetric';
import type { RunRepository } from './runRepository';

/** The checkpoint manifest's file name and the one field read here (see worker checkpoint.ts). */
const MANIFEST_FILE = 'checkpoint.json';

export interface RunWatchDeps {
  dataDir: string;
  alarms: AlarmRepository;
  events: StudioEventBus;
  /** Stores derived metrics (the preview grid's diversity) beside the run's own. */
  runs: Pick<RunRepository, 'recordProgress'>;
}

export class RunWatch {
  private readonly detector: AlarmDetector;
  private readonly main: MainMetric;
  private best: StoredBest | null;
  private keeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly runId: number,
    family: ModelFamily,
    private readonly deps: RunWatchDeps,
  ) {
    this.detector = new AlarmDetector(family);
    this.main = new MainMetric(family);
    this.best = deps.alarms.best(runId);
  }

  /** Feeds a step's metrics (training means, `val_*`, `eval_*`) to the alarms and the main metric. */
  observe(step: number, metrics: Readonly<Record<string, number>>): void {
    this.main.observe(metrics);
    for (const raised of this.detector.observe(step, metrics)) {
      this.deps.events.emit('runs:alarm', this.deps.alarms.add(this.runId, raised));
    }
  }

  /** The preview grid's pixel-space diversity, stored as `sample_diversity` and watched. */
  observeSamples(step: number, images: readonly GeneratedImage[]): void {
    if (images.length < 2) return;
    const metrics = { sample_diversity: meanPairwiseDistance(images) };
    this.deps.runs.recordProgress(this.runId, step, metrics);
    this.observe(step, metrics);
  }

  /**
   * A checkpoint was written at `step` into `dir`: when the main metric there beats the best so far,
   * its files are linked into `runs/<id>/best/` (a hard link: the worker's later removal of the
   * weights file leaves the kept copy whole). A checkpoint already replaced by a newer one is skipped.
   */
  checkpointWritten(step: number, dir: string): Promise<void> {
    // One at a time, in step order: two links into the same folder must not interleave.
    // Keeping the best is a convenience: failing to must not fail the run.
    this.keeping = this.keeping
      .then(() => this.keepIfBest(step, dir))
      .catch((error: unknown) => {
        console.error(`Run ${this.runId}: the best checkpoint could not be kept:`, error);
      });
    return this.keeping;
  }

  private async keepIfBest(step: number, dir: string): Promise<void> {
    const score = this.main.current();
    const comparable = this.best !== null && this.best.metric === score.metric;
    if (comparable && !this.main.isBetter(score.value, this.best?.value ?? null)) return;
    const manifestText = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
    const manifest = JSON.parse(manifestText) as { step?: number; weightsFile?: string };
    if (manifest.step !== step || typeof manifest.weightsFile !== 'string') return;
    const relative = path.join('runs', String(this.runId), 'best');
    const target = path.join(this.deps.dataDir, relative);
    const staging = `${target}.${process.pid}.tmp`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
    try {
      await linkOrCopy(
        path.join(dir, manifest.weightsFile),
        path.join(staging, manifest.weightsFile),
      );
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      // A newer checkpoint replaced this one between the event and the link: the next one counts.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await fs.writeFile(path.join(staging, MANIFEST_FILE), manifestText);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(staging, target);
    this.best = { dir: relative, step, metric: score.metric, value: score.value };
    this.deps.alarms.setBest(this.runId, this.best);
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    await fs.copyFile(from, to);
  }
}
