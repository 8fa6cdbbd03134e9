import { z } from 'zod';
import type { DatasetKind, Preprocessing, SettingChange } from '../../../preload/contract';

// A version's preprocessing: how its items become training tensors. Stored as JSON with the
// version and never changed, so the resolved settings are written out in full at creation.

/** What the studio trained with before versions had settings: 28 px, stretched, on black. */
export const DEFAULT_PREPROCESSING: Preprocessing = {
  image: { size: 28, channels: 'auto', fit: 'stretch', background: '#000000' },
  augmentation: { flipHorizontal: false, maxShift: 0 },
  sampling: { classBalanced: false },
  text: { caseFold: false },
  split: { validationFraction: 0.1, seed: 1 },
};

export const MIN_IMAGE_SIZE = 4;
export const MAX_IMAGE_SIZE = 256;
export const MAX_VALIDATION_FRACTION = 0.5;

const imageSchema = z.strictObject({
  size: z.number().int().min(MIN_IMAGE_SIZE).max(MAX_IMAGE_SIZE),
  channels: z.union([z.literal('auto'), z.literal(1), z.literal(3)]),
  fit: z.enum(['crop', 'pad', 'stretch']),
  background: z.string().regex(/^#[0-9a-f]{6}$/i, 'Background must be a colour like #000000.'),
});

const augmentationSchema = z.strictObject({
  flipHorizontal: z.boolean(),
  maxShift: z.number().int().min(0).max(16),
});

const samplingSchema = z.strictObject({ classBalanced: z.boolean() });

const textSchema = z.strictObject({ caseFold: z.boolean() });

const splitSchema = z.strictObject({
  validationFraction: z.number().min(0).max(MAX_VALIDATION_FRACTION),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

export const preprocessingSchema: z.ZodType<Preprocessing> = z.strictObject({
  image: imageSchema,
  augmentation: augmentationSchema,
  sampling: samplingSchema,
  text: textSchema,
  split: splitSchema,
});

/**
 * The settings a version stored. Parts missing from older rows (written before that part existed)
 * take the defaults; a part that is present but wrong is a bug, not something to paper over.
 */
export function parseStoredPreprocessing(json: string): Preprocessing {
  const stored = JSON.parse(json) as Partial<Record<keyof Preprocessing, object>>;
  // Versions saved before each family chose its own pixel range stored one; it never reached
  // training (pixelRange.ts), so it is dropped here rather than rewritten by a migration.
  const { range: _range, ...image } = (stored.image ?? {}) as Record<string, unknown>;
  const merged = {
    image: { ...DEFAULT_PREPROCESSING.image, ...image },
    augmentation: { ...DEFAULT_PREPROCESSING.augmentation, ...stored.augmentation },
    sampling: { ...DEFAULT_PREPROCESSING.sampling, ...stored.sampling },
    text: { ...DEFAULT_PREPROCESSING.text, ...stored.text },
    split: { ...DEFAULT_PREPROCESSING.split, ...stored.split },
  };
  return preprocessingSchema.parse(merged);
}

const percent = (fraction: number): string => `${Math.round(fraction * 1000) / 10}%`;
const channelsText = (c: Preprocessing['image']['channels']): string =>
  c === 'auto' ? 'auto' : c === 1 ? 'grey' : 'RGB';
const onOff = (b: boolean): string => (b ? 'on' : 'off');

/** Each setting as a person reads it, with the dataset kinds it matters for. */
const DESCRIBED: {
  setting: string;
  kinds: DatasetKind[];
  text: (p: Preprocessing) => string;
}[] = [
  { setting: 'size', kinds: ['image'], text: (p) => String(p.image.size) },
  { setting: 'channels', kinds: ['image'], text: (p) => channelsText(p.image.channels) },
  { setting: 'fit', kinds: ['image'], text: (p) => p.image.fit },
  { setting: 'background', kinds: ['image'], text: (p) => p.image.background.toLowerCase() },
  { setting: 'flip', kinds: ['image'], text: (p) => onOff(p.augmentation.flipHorizontal) },
  { setting: 'shift', kinds: ['image'], text: (p) => `${p.augmentation.maxShift}px` },
  {
    setting: 'class-balanced batches',
    kinds: ['image'],
    text: (p) => onOff(p.sampling.classBalanced),
  },
  { setting: 'case folding', kinds: ['text'], text: (p) => onOff(p.text.caseFold) },
  {
    setting: 'validation',
    kinds: ['image', 'text'],
    text: (p) => percent(p.split.validationFraction),
  },
  { setting: 'split seed', kinds: ['image', 'text'], text: (p) => String(p.split.seed) },
];

/** The settings that differ and matter for this kind of dataset, in a stable order. */
export function settingChanges(
  kind: DatasetKind,
  before: Preprocessing,
  after: Preprocessing,
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const d of DESCRIBED) {
    if (!d.kinds.includes(kind)) continue;
    const from = d.text(before);
    const to = d.text(after);
    if (from !== to) changes.push({ setting: d.setting, from, to });
  }
  return changes;
}
