import { z } from 'zod';
import type { EvaluationCalls } from '../../preload/contract';
import { id, type CallSchemas } from '../common/calls';

// The argument objects of the evaluation calls, checked at the boundary.
export const EVALUATION_CALL_SCHEMAS: CallSchemas<keyof EvaluationCalls> = {
  'runs:evaluate': z.strictObject({ runId: id, step: z.number().int().min(0).optional() }),
  'runs:evaluation': z.strictObject({ runId: id }),
};
