import { z } from 'zod';
import type { AuditFindingType, CallArgs, CallName } from '../../preload/contract';
import { preprocessingSchema } from '../datasets/versions/preprocessing';

// Every call's argument object, checked at the boundary before a service sees it. Objects are
// strict: an unknown key is a mistake on the caller's side and is reported, not ignored.
const noArgs = z.strictObject({});
const id = z.number().int().positive();
const importSettings = {
  kind: z.enum(['image', 'text']).optional(),
  textUnit: z.enum(['file', 'line', 'paragraph']).optional(),
  csvColumn: z.string().min(1).max(200).optional(),
  jsonlField: z.string().min(1).max(200).optional(),
  labelsFile: z.string().min(1).optional(),
};

// A record, so that a finding type added to the contract must be added here too.
const FINDING_TYPES: Record<AuditFindingType, true> = {
  'exact-duplicate': true,
  'near-duplicate': true,
  corrupt: true,
  blank: true,
  outlier: true,
  'class-imbalance': true,
  missing: true,
  'label-error': true,
  leakage: true,
  'text-length': true,
  'text-boilerplate': true,
  'text-charset': true,
};
const findingType = z.enum(Object.keys(FINDING_TYPES) as [AuditFindingType, ...AuditFindingType[]]);

const relabelTarget = z.string().min(1).max(200).nullable();
const rebalanceChoice = z.strictObject({
  method: z.enum(['oversample', 'undersample']),
  targetPerClass: z
    .number()
    .int('The target per class must be a whole number.')
    .min(1, 'Keep at least one item per class.')
    .max(10_000_000)
    .optional(),
});
const itemIds = z.array(id).min(1, 'Choose at least one item.').max(1_000_000);

export const CALL_SCHEMAS: { [K in CallName]: z.ZodType<CallArgs<K>> } = {
  'app:info': noArgs,
  'datasets:list': noArgs,
  'datasets:get': z.strictObject({ datasetId: id }),
  'datasets:importFolder': z.strictObject({
    path: z.string().min(1, 'Choose a folder to import.'),
    name: z.string().min(1).max(200).optional(),
    importId: z.string().uuid().optional(),
    ...importSettings,
  }),
  'datasets:cancelImport': z.strictObject({ importId: z.string().uuid() }),
  'datasets:beginUpload': z.strictObject({ name: z.string().max(200) }),
  'datasets:finishUpload': z.strictObject({ uploadId: z.string().uuid(), ...importSettings }),
  'datasets:browse': z.strictObject({
    datasetId: id,
    versionId: id.optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
    label: z.string().nullable().optional(),
    filter: z.enum(['all', 'included', 'excluded', 'relabeled', 'train', 'validation']).optional(),
    sort: z.enum(['path', 'label', 'pixels', 'bytes', 'format', 'imported']).optional(),
    descending: z.boolean().optional(),
  }),
  'datasets:itemText': z.strictObject({
    itemId: id,
    maxChars: z.number().int().min(1).max(1_000_000).optional(),
  }),
  'datasets:versions': z.strictObject({ datasetId: id }),
  'datasets:getVersion': z.strictObject({ versionId: id }),
  'datasets:editItems': z.strictObject({
    datasetId: id,
    baseVersionId: id,
    itemIds,
    edit: z.discriminatedUnion('action', [
      z.strictObject({ action: z.literal('exclude') }),
      z.strictObject({ action: z.literal('include') }),
      z.strictObject({ action: z.literal('relabel'), label: relabelTarget }),
    ]),
  }),
  'datasets:setPreprocessing': z.strictObject({
    datasetId: id,
    baseVersionId: id,
    preprocessing: preprocessingSchema,
  }),
  'datasets:undo': z.strictObject({ datasetId: id, baseVersionId: id }),
  'datasets:restoreVersion': z.strictObject({ datasetId: id, baseVersionId: id, versionId: id }),
  'datasets:compareVersions': z.strictObject({ fromVersionId: id, toVersionId: id }),
  'datasets:previewPreprocessing': z.strictObject({
    datasetId: id,
    preprocessing: preprocessingSchema,
    itemIds: z.array(id).max(12).optional(),
    count: z.number().int().min(1).max(12).optional(),
  }),
  'datasets:textStats': z.strictObject({ versionId: id }),
  'models:presets': noArgs,
  'runs:start': z.strictObject({
    datasetId: id,
    presetId: z.string().min(1),
    versionId: id.optional(),
    steps: z.number().int().min(1).max(1_000_000).optional(),
  }),
  'runs:stop': z.strictObject({ runId: id }),
  'runs:resume': z.strictObject({
    runId: id,
    steps: z.number().int().min(1).max(1_000_000).optional(),
  }),
  'runs:estimate': z.strictObject({ datasetId: id, presetId: z.string().min(1) }),
  'runs:list': z.strictObject({ datasetId: id.optional() }),
  'runs:get': z.strictObject({ runId: id }),
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
  'ml:backend': noArgs,
  'ml:devices': noArgs,
  'settings:get': noArgs,
  'settings:set': z.strictObject({
    preferredBackend: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).nullable().optional(),
  }),
  'audit:start': z.strictObject({ datasetId: id, versionId: id.optional() }),
  'audit:cancel': z.strictObject({ auditId: id }),
  'audit:get': z.strictObject({ auditId: id }),
  'audit:latest': z.strictObject({ datasetId: id, versionId: id.optional() }),
  'audit:history': z.strictObject({ datasetId: id }),
  'audit:export': z.strictObject({ auditId: id, format: z.enum(['json', 'csv']) }),
  'audit:applyFix': z.strictObject({
    auditId: id,
    findingIds: z.array(id).min(1, 'Choose at least one finding to fix.').max(100_000),
    rebalance: rebalanceChoice.optional(),
    // JSON object keys are strings: a finding id written as one.
    keep: z
      .record(z.string().regex(/^[1-9]\d*$/), id, {
        error: (issue) =>
          issue.code === 'invalid_key' ? 'Keep choices are finding ids.' : undefined,
      })
      .optional(),
  }),
  'audit:applyAll': z.strictObject({
    auditId: id,
    type: findingType,
    minScore: z.number().min(0).max(1).optional(),
    rebalance: rebalanceChoice.optional(),
  }),
};
