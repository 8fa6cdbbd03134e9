import { z } from 'zod';
import type { RunCalls } from '../../preload/contract';
import { id, noArgs, type CallSchemas } from '../common/calls';
import { COMPARE_LIMITS } from './runHistoryService';

function runIds(min: number, max: number) {
  return z
    .array(id)
    .min(min, `Choose at least ${min} run${min === 1 ? '' : 's'}.`)
    .max(max, `Choose at most ${max} runs.`);
}

// The argument objects of the training calls (presets, runs, samples), checked at the boundary.
export const RUN_CALL_SCHEMAS: CallSchemas<keyof RunCalls> = {
  'models:presets': noArgs,
  'runs:start': z.strictObject({
    datasetId: id,
    presetId: z.string().min(1),
    versionId: id.optional(),
    steps: z.number().int().min(1).max(1_000_000).optional(),
    evaluateAtEnd: z.boolean().optional(),
    includeSynthetic: z.boolean().optional(),
  }),
  'runs:stop': z.strictObject({ runId: id }),
  'runs:resume': z.strictObject({
    runId: id,
    steps: z.number().int().min(1).max(1_000_000).optional(),
  }),
  'runs:estimate': z.strictObject({
    datasetId: id,
    presetId: z.string().min(1),
    includeSynthetic: z.boolean().optional(),
  }),
  'runs:list': z.strictObject({
    datasetId: id.optional(),
    includeArchived: z.boolean().optional(),
  }),
  'runs:get': z.strictObject({ runId: id }),
  'runs:annotate': z.strictObject({
    runId: id,
    name: z.string().max(200).nullable().optional(),
    tags: z.array(z.string().max(60)).max(50).optional(),
    notes: z.string().max(20_000).optional(),
  }),
  'runs:archive': z.strictObject({ runIds: runIds(1, 10_000), archived: z.boolean() }),
  'runs:deletePreview': z.strictObject({ runIds: runIds(1, 10_000) }),
  'runs:delete': z.strictObject({ runIds: runIds(1, 10_000) }),
  'runs:compare': z.strictObject({ runIds: runIds(COMPARE_LIMITS.min, COMPARE_LIMITS.max) }),
  'runs:compareVersions': z.strictObject({
    datasetId: id,
    versionIds: z.tuple([id, id]),
    presetId: z.string().min(1),
    steps: z.number().int().min(1).max(1_000_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    referenceVersionId: id.optional(),
  }),
  'runs:alarms': z.strictObject({ runId: id }),
  'runs:rollback': z.strictObject({ runId: id, continue: z.boolean() }),
  'samples:list': z.strictObject({ runId: id.optional() }),
  'samples:generate': z.strictObject({
    runId: id,
    mode: z.enum(['grid', 'interpolation']).optional(),
    count: z.number().int().min(1).max(64).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    prompt: z.string().max(2000).optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
    temperature: z.number().min(0).max(10).optional(),
    topK: z.number().int().min(0).max(10_000).optional(),
    topP: z.number().gt(0).max(1).optional(),
    stopAtNewline: z.boolean().optional(),
  }),
  'samples:export': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample to export.').max(10_000),
    folder: z.string().optional(),
  }),
  'runs:exportReport': z.strictObject({ runId: id, folder: z.string().optional() }),
};
