import type { VersionMetricChange } from '../../../../../preload/contract';
import { isBetterValue } from '../../../../../shared/runs/metricDirection';

/** Which version is better on a row of a version comparison (null: a tie or a missing value). */
export function bestSide(m: Pick<VersionMetricChange, 'a' | 'b' | 'better'>): 'a' | 'b' | null {
  if (m.a === null || m.b === null || m.a === m.b) return null;
  return isBetterValue(m.better, m.a, m.b) ? 'a' : 'b';
}
