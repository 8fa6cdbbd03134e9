// A `studio` command on a data dir that a studio server owns: instead of opening the folder a
// second time (which the lock refuses), the command asks that server, whose address the lock file
// holds. Only the commands that are one call and need no local state go this way (import).

import { readFileSync } from 'node:fs';
import type { CallArgs, CallName, CallResult, Outcome } from '../../preload/contract';
import type { DataDirOwner } from '../common/dataDirLock';
import { StudioFailure } from '../common/failure';

/** A studio server that owns a data dir, with the address it listens on. */
export type ServerOwner = DataDirOwner & { url: string };

/** The live server that owns the data dir, from the refusal the lock gave; null otherwise. */
export function serverOwnerOf(error: unknown): ServerOwner | null {
  if (!(error instanceof StudioFailure) || error.code !== 'conflict') return null;
  const owner = (error.details as { owner?: DataDirOwner } | undefined)?.owner;
  return owner?.kind === 'server' && typeof owner.url === 'string' ? (owner as ServerOwner) : null;
}

function authorization(owner: DataDirOwner): Record<string, string> {
  if (owner.tokenFile === undefined) return {};
  try {
    return { authorization: `Bearer ${readFileSync(owner.tokenFile, 'utf8').trim()}` };
  } catch {
    throw new StudioFailure(
      'conflict',
      `The studio server at ${owner.url ?? '?'} owns this data folder, and its token file ` +
        `${owner.tokenFile} cannot be read: stop the server, or run the command as its user.`,
    );
  }
}

/** One contract call on the owning server, its error turned back into a StudioFailure. */
export async function callServer<K extends CallName>(
  owner: ServerOwner,
  name: K,
  args: CallArgs<K>,
): Promise<CallResult<K>> {
  let outcome: Outcome<CallResult<K>>;
  try {
    const response = await fetch(new URL(`api/call/${name}`, owner.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(owner) },
      body: JSON.stringify(args),
    });
    outcome = (await response.json()) as Outcome<CallResult<K>>;
  } catch (error) {
    if (error instanceof StudioFailure) throw error;
    throw new StudioFailure(
      'io',
      `The studio server at ${owner.url} owns this data folder but does not answer ` +
        `(${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (!outcome.ok) {
    throw new StudioFailure(outcome.error.code, outcome.error.message, outcome.error.details);
  }
  return outcome.value;
}
