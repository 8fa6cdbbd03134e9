import { z } from 'zod';
import type { GalleryCalls } from '../../preload/contract';
import { id, type CallSchemas } from '../common/calls';
import { MAX_PAGE } from './sampleQuery';

const step = z.number().int().min(0);

// The argument objects of the gallery's calls, checked at the boundary.
export const GALLERY_CALL_SCHEMAS: CallSchemas<keyof GalleryCalls> = {
  'samples:query': z.strictObject({
    datasetId: id.optional(),
    runIds: z.array(id).max(1000).optional(),
    family: z.enum(['dense-vae', 'conv-vae', 'dcgan', 'char-rnn', 'char-gpt']).optional(),
    minStep: step.optional(),
    maxStep: step.optional(),
    rating: z.enum(['starred', 'rejected', 'unrated', 'kept']).optional(),
    evaluated: z.boolean().optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE).optional(),
  }),
  'datasets:exportVersion': z.strictObject({
    datasetId: id,
    versionNumber: z.number().int().min(1).optional(),
    folder: z.string().optional(),
  }),
  'samples:rate': z.strictObject({
    sampleIds: z.array(id).min(1, 'Choose at least one sample.').max(20_000),
    rating: z.enum(['starred', 'rejected']).nullable(),
  }),
};
