import { z } from 'zod';
import type { GalleryCalls } from '../../preload/contract';
import { id, type CallSchemas } from '../common/calls';
import { MAX_PAGE } from './sampleQuery';

const step = z.number().int().min(0);
const className = z.string().min(1).max(200);
/** Samples added to a dataset at once: each is read and stored, so a few thousand at most. */
const MAX_AUGMENT = 5000;

/** The gallery's filters: the same for a page of samples and for the groups they fall in. */
const filters = {
  datasetId: id.optional(),
  runIds: z.array(id).max(1000).optional(),
  family: z.enum(['dense-vae', 'conv-vae', 'dcgan', 'char-rnn', 'char-gpt']).optional(),
  minStep: step.optional(),
  maxStep: step.optional(),
  rating: z.enum(['starred', 'rejected', 'unrated', 'kept']).optional(),
  evaluated: z.boolean().optional(),
};

// The argument objects of the gallery's calls, checked at the boundary.
export const GALLERY_CALL_SCHEMAS: CallSchemas<keyof GalleryCalls> = {
  'samples:query': z.strictObject({
    ...filters,
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE).optional(),
  }),
  'samples:groups': z.strictObject(filters),
  'datasets:exportVersion': z.strictObject({
    datasetId: id,
    versionNumber: z.number().int().min(1).optional(),
    folder: z.string().optional(),
  }),
  'samples:augmentPlan': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample.').max(MAX_AUGMENT),
  }),
  'samples:addToDataset': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample.').max(MAX_AUGMENT),
    classes: z
      .record(z.string().regex(/^\d+$/, 'Classes are keyed by sample id.'), className)
      .optional(),
    defaultClass: className.optional(),
    baseVersionId: id.optional(),
  }),
  'samples:rate': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample.').max(20_000),
    rating: z.enum(['starred', 'rejected']).nullable(),
  }),
};
