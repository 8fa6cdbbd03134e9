/** The text at `field` (dots reach into nested objects) of one JSON Lines record. */
export type JsonlValue = { ok: true; text: string } | { ok: false; reason: string };

export function jsonlText(line: string, field: string): JsonlValue {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      return { ok: false, reason: `has no field "${field}"` };
    }
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return { ok: true, text: value };
  if (typeof value === 'number' || typeof value === 'boolean')
    return { ok: true, text: String(value) };
  return { ok: false, reason: `field "${field}" is not text` };
}
