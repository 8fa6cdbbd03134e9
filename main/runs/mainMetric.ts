import type { ModelFamily } from '../../preload/contract';

/**
 * The figure a run's checkpoints are ranked by, lower is better: the validation loss where the run
 * validates, else the training loss's EMA; a GAN's losses rank nothing, so its Fréchet distance where
 * it has been evaluated (the in-run quick one first: it is what every validation point measures,
 * on the same fixed noise, and it is never mixed with the full one, whose bias differs), else the
 * newest checkpoint is the best one.
 */
export class MainMetric {
  private validation: number | null = null;
  private frechet: number | null = null;
  private quickFrechet: number | null = null;
  private lossEma: number | null = null;
  private readonly alpha = 2 / (50 + 1);

  constructor(private readonly family: ModelFamily) {}

  observe(metrics: Readonly<Record<string, number>>): void {
    const { val_loss: validation, eval_frechet_distance: frechet, loss } = metrics;
    const quick = metrics.eval_quick_frechet_distance;
    if (quick !== undefined && Number.isFinite(quick)) this.quickFrechet = quick;
    if (validation !== undefined && Number.isFinite(validation)) this.validation = validation;
    if (frechet !== undefined && Number.isFinite(frechet)) this.frechet = frechet;
    if (loss !== undefined && Number.isFinite(loss)) {
      this.lossEma =
        this.lossEma === null ? loss : this.lossEma + this.alpha * (loss - this.lossEma);
    }
  }

  current(): { metric: string; value: number | null } {
    if (this.family === 'dcgan') {
      if (this.quickFrechet !== null) {
        return { metric: 'eval_quick_frechet_distance', value: this.quickFrechet };
      }
      return this.frechet === null
        ? { metric: 'latest', value: null }
        : { metric: 'eval_frechet_distance', value: this.frechet };
    }
    if (this.validation !== null) return { metric: 'val_loss', value: this.validation };
    return { metric: 'loss (EMA)', value: this.lossEma };
  }

  /** Unranked figures (null) always replace: the newest checkpoint is then the best one known. */
  isBetter(candidate: number | null, best: number | null): boolean {
    if (candidate === null || best === null) return true;
    return candidate < best;
  }
}
