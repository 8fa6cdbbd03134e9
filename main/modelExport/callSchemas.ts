import { z } from 'zod';
import type { ModelExportCalls } from '../../preload/contract';
import { id, type CallSchemas } from '../common/calls';

// The model export's argument object, checked at the boundary.
export const MODEL_EXPORT_CALL_SCHEMAS: CallSchemas<keyof ModelExportCalls> = {
  'runs:exportModel': z.strictObject({
    runId: id,
    step: z.number().int().min(0).optional(),
    folder: z.string().optional(),
  }),
};
