import { z } from 'zod';
import type { DatasetCalls, VersionCalls } from '../../preload/contract';
import { id, noArgs, type CallSchemas } from '../common/calls';
import { preprocessingSchema } from './versions/preprocessing';

// The argument objects of the dataset calls (imports, uploads, browsing, curation, preparation),
// checked at the boundary before a service sees them.
const importSettings = {
  kind: z.enum(['image', 'text']).optional(),
  textUnit: z.enum(['file', 'line', 'paragraph']).optional(),
  csvColumn: z.string().min(1).max(200).optional(),
  jsonlField: z.string().min(1).max(200).optional(),
  labelsFile: z.string().min(1).optional(),
};
const relabelTarget = z.string().min(1).max(200).nullable();
const itemIds = z.array(id).min(1, 'Choose at least one item.').max(1_000_000);

export const DATASET_CALL_SCHEMAS: CallSchemas<keyof DatasetCalls | keyof VersionCalls> = {
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
};
