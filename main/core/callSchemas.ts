import { z } from 'zod';
import type { CallArgs, CallName } from '../../preload/contract';

// Every call's argument object, checked at the boundary before a service sees it. Objects are
// strict: an unknown key is a mistake on the caller's side and is reported, not ignored.
const noArgs = z.strictObject({});
const id = z.number().int().positive();

export const CALL_SCHEMAS: { [K in CallName]: z.ZodType<CallArgs<K>> } = {
  'app:info': noArgs,
  'datasets:list': noArgs,
  'datasets:get': z.strictObject({ datasetId: id }),
  'datasets:items': z.strictObject({
    datasetId: id,
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
    label: z.string().nullable().optional(),
  }),
  'datasets:importFolder': z.strictObject({
    path: z.string().min(1, 'Choose a folder to import.'),
    name: z.string().min(1).max(200).optional(),
    importId: z.string().uuid().optional(),
  }),
  'datasets:beginUpload': z.strictObject({ name: z.string().max(200) }),
  'datasets:finishUpload': z.strictObject({ uploadId: z.string().uuid() }),
  'models:presets': noArgs,
  'runs:start': z.strictObject({
    datasetId: id,
    presetId: z.string().min(1),
    versionId: id.optional(),
    steps: z.number().int().min(1).max(1_000_000).optional(),
  }),
  'runs:stop': z.strictObject({ runId: id }),
  'runs:list': z.strictObject({ datasetId: id.optional() }),
  'runs:get': z.strictObject({ runId: id }),
  'samples:list': z.strictObject({ runId: id.optional() }),
  'samples:export': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample to export.').max(10_000),
    folder: z.string().optional(),
  }),
  'ml:backend': noArgs,
};
