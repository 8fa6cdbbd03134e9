import { z } from 'zod';
import type { CallArgs, CallName, CallResult } from '../../preload/contract';

// What each domain gives the core for its calls: a handler per call (main/<domain>/handlers.ts)
// and a schema for its argument object (main/<domain>/callSchemas.ts). The core merges them.

export type CallHandlers = {
  [K in CallName]: (args: CallArgs<K>) => Promise<CallResult<K>> | CallResult<K>;
};

export type CallSchemas<K extends CallName = CallName> = { [P in K]: z.ZodType<CallArgs<P>> };

// The pieces most argument schemas share. Objects are strict: an unknown key is a mistake on the
// caller's side and is reported, not ignored.
export const noArgs = z.strictObject({});
export const id = z.number().int().positive();
