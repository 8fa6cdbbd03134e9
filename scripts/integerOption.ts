// The benchmark and profile scripts' integer command-line options, checked the same way.

/** `value` as an integer of at least `min`, or an error that names the option `--name`. */
export function integerOption(value: string, name: string, min = 1): number {
  const n = Math.trunc(Number(value));
  if (!(n >= min)) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}
