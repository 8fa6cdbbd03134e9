// Typed configs as data: a schema per config gives each field its type, range and default; resolving
// fills defaults, rejects unknown keys and checks every field. tfjs-free.

type FieldType = 'integer' | 'number' | 'boolean' | 'string' | 'integer[]';

export type FieldRule<T> = {
  type: FieldType;
  /** Inclusive lower bound for numbers and every entry of an integer list. */
  min?: number;
  max?: number;
  /** Allowed values for strings. */
  oneOf?: readonly string[];
} & { default: T };

export type ConfigSchema<C> = { [K in keyof C]-?: FieldRule<C[K]> };

function checkField(owner: string, key: string, rule: FieldRule<unknown>, value: unknown): void {
  const where = `${owner}.${key}`;
  const inRange = (n: number): boolean =>
    (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
  const range = `${rule.min ?? '−∞'}..${rule.max ?? '∞'}`;
  switch (rule.type) {
    case 'integer':
      if (!Number.isInteger(value) || !inRange(value as number)) {
        throw new Error(`${where} must be an integer in ${range}, got ${String(value)}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value)) {
        throw new Error(`${where} must be a number in ${range}, got ${String(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error(`${where} must be true or false`);
      return;
    case 'string':
      if (typeof value !== 'string' || (rule.oneOf !== undefined && !rule.oneOf.includes(value))) {
        throw new Error(
          `${where} must be one of ${(rule.oneOf ?? []).join(', ')}, got ${String(value)}`,
        );
      }
      return;
    case 'integer[]':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((n) => Number.isInteger(n) && inRange(n as number))
      ) {
        throw new Error(`${where} must be a non-empty list of integers in ${range}`);
      }
      return;
  }
}

/**
 * Defaults filled in, unknown keys rejected, every field type- and range-checked: a config that
 * resolves is one the builder can build. Throws an Error naming the field.
 */
export function resolveConfig<C extends object>(
  owner: string,
  schema: ConfigSchema<C>,
  input: unknown = {},
): C {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error(`${owner} must be an object`);
  }
  const rules = schema as Record<string, FieldRule<unknown>>;
  const unknown = Object.keys(input).filter((key) => !(key in rules));
  if (unknown.length > 0) {
    throw new Error(
      `${owner} has unknown keys: ${unknown.join(', ')} (known: ${Object.keys(rules).join(', ')})`,
    );
  }
  const given = input as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules)) {
    const value = given[key] === undefined ? rule.default : given[key];
    checkField(owner, key, rule, value);
    resolved[key] = Array.isArray(value) ? [...(value as number[])] : value;
  }
  return resolved as C;
}

/** The defaults of a schema, as a config. */
export function defaultsOf<C extends object>(schema: ConfigSchema<C>): C {
  return resolveConfig('defaults', schema, {});
}

/** Shared optimiser fields, so every family spells them the same way. */
export interface OptimizerFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
  gradClip: number;
}

export function optimizerSchema(defaults: OptimizerFields): ConfigSchema<OptimizerFields> {
  return {
    learningRate: { type: 'number', min: 1e-12, max: 1e9, default: defaults.learningRate },
    beta1: { type: 'number', min: 0, max: 0.999999, default: defaults.beta1 },
    beta2: { type: 'number', min: 0, max: 0.999999, default: defaults.beta2 },
    weightDecay: { type: 'number', min: 0, max: 1, default: defaults.weightDecay },
    gradClip: { type: 'number', min: 0, default: defaults.gradClip },
  };
}
