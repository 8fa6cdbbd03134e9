import type { CallName, Outcome } from '../../preload/contract';
import { CALL_NAMES } from '../../preload/contract';
import { CALL_SCHEMAS } from './callSchemas';
import type { CallHandlers } from '../common/calls';
import { toStudioError } from '../common/failure';

export type { CallHandlers } from '../common/calls';

const KNOWN = new Set<string>(CALL_NAMES);

export function isCallName(name: string): name is CallName {
  return KNOWN.has(name);
}

/**
 * The one entry from any shell into the core: checks the call name and its arguments, runs the
 * handler, and turns every failure into data. Nothing thrown here crosses a process boundary.
 */
export async function dispatchCall(
  handlers: CallHandlers,
  name: string,
  rawArgs: unknown,
): Promise<Outcome<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'invalid-input', message: `Unknown call "${name}".` } };
  }
  const parsed = CALL_SCHEMAS[name].safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: first ? `${name}: ${first.path ? `${first.path}: ` : ''}${first.message}` : name,
        details: { issues },
      },
    };
  }
  try {
    const handler = handlers[name] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toStudioError(err) };
  }
}
