import { describe, expect, it } from 'vitest';
import { MainMetric } from './mainMetric';

describe('MainMetric', () => {
  it("ranks a GAN's checkpoints by the quick in-run Fréchet distance, never mixed with the full one", () => {
    const main = new MainMetric('dcgan');
    expect(main.current()).toEqual({ metric: 'latest', value: null });
    main.observe({ gLoss: 2, dLoss: 0.5, eval_quick_frechet_distance: 4 });
    expect(main.current()).toEqual({ metric: 'eval_quick_frechet_distance', value: 4 });
    main.observe({ eval_frechet_distance: 1 });
    expect(main.current()).toEqual({ metric: 'eval_quick_frechet_distance', value: 4 });
    main.observe({ eval_quick_frechet_distance: 2.5 });
    expect(main.isBetter(2.5, 4)).toBe(true);
    expect(main.current().value).toBe(2.5);
  });

  it('falls back to the full evaluation for a GAN run that has no quick figures', () => {
    const main = new MainMetric('dcgan');
    main.observe({ eval_frechet_distance: 1.5 });
    expect(main.current()).toEqual({ metric: 'eval_frechet_distance', value: 1.5 });
  });
});
