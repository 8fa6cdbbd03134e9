export interface CleaningFixtureOptions {
  seed?: number;
  /** Digits per class (default 60), and the starved class (default 5) with its few (default 6). */
  perClass?: number;
  starvedClass?: number;
  starvedCount?: number;
  /** How many items are copied (default 3), how often each (default 40), how many of those near (3). */
  duplicatedItems?: number;
  copiesPerItem?: number;
  nearCopiesPerItem?: number;
}

export interface CleaningFixture {
  seed: number;
  files: number;
  starvedClass: string;
  starvedCount: number;
  duplicated: { file: string; label: string; copies: string[] }[];
}

export const CLEANING_FIXTURE_DEFAULTS: Required<CleaningFixtureOptions>;

export function buildCleaningFixture(
  dir: string,
  options?: CleaningFixtureOptions,
): Promise<CleaningFixture>;
