import type { ConfigDifference, ConfigValue } from '../../preload/contract';

/**
 * Flattens a stored config into dotted keys with scalar values (`config.latentDim`,
 * `training.steps`). Arrays are one value (their JSON), since `[8, 16]` vs `[16, 32]` is one
 * choice a person made, not two.
 */
export function flattenConfig(value: unknown, prefix = ''): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      for (const [k, v] of flattenConfig(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
    return out;
  }
  if (prefix === '') return out;
  if (value === undefined || value === null) out.set(prefix, null);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    out.set(prefix, value);
  else out.set(prefix, JSON.stringify(value));
  return out;
}

/** The keys whose values are not all the same across the configs (a missing key counts as null). */
export function configDiff(configs: readonly unknown[]): ConfigDifference[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const differences: ConfigDifference[] = [];
  for (const key of keys) {
    const values = flat.map((f) => f.get(key) ?? null);
    if (values.some((v) => v !== values[0])) differences.push({ key, values });
  }
  return differences;
}
