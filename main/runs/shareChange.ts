// How much of a version comparison's change in a share of samples (near copies, samples nearest a
// duplicated item, samples of the scarce class) the judge's own sampling could make: the judge
// draws a fixed number of samples from each run, so a share of them is a binomial proportion,
// and two runs' shares are two independent ones. On the cleaning fixture a run on the raw
// version drew 2 of 512 samples nearest a duplicated item and the cleaned one 0: a change in
// the right direction, and still within the noise of 512 draws. The figure says so.

/** The judge's figures that are a share of its samples, each sample counted once. */
export const SAMPLE_SHARES: ReadonlySet<string> = new Set([
  'near_copy_share',
  'duplicated_item_share',
  'duplicated_near_copy_share',
  'scarce_class_share',
]);

/**
 * The standard error of the difference of two shares of `n` samples each: sqrt(Σ p(1−p)/n),
 * with a share of 0 or 1 taken as half a sample off it, so that 0 against 4 of 512 is not
 * called certain.
 */
export function shareChangeError(a: number, b: number, n: number): number {
  const variance = (p: number): number => {
    const q = Math.min(Math.max(p, 0.5 / n), 1 - 0.5 / n);
    return (q * (1 - q)) / n;
  };
  return Math.sqrt(variance(a) + variance(b));
}
