import { z } from 'zod';
import type { AppCalls } from '../../preload/contract';
import { noArgs, type CallSchemas } from '../common/calls';

// The argument objects of the studio's own calls (info, ML backend, settings).
export const APP_CALL_SCHEMAS: CallSchemas<keyof AppCalls> = {
  'app:info': noArgs,
  'ml:backend': noArgs,
  'ml:devices': noArgs,
  'settings:get': noArgs,
  'settings:set': z.strictObject({
    preferredBackend: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).nullable().optional(),
  }),
};
