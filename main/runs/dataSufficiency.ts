// Before training: is there enough data for this model? A rule of thumb per kind, stated with the
// figures it compares, so a person can judge the warning rather than trust it.

import type { DataSufficiency } from '../../preload/contract';
import type { TrainingAmount } from '../datasets/prepare/trainingData';
import type { RunConfig } from '../ml/config/presets';

/** Parameters per training character over which a character model memorises its corpus. */
export const TEXT_PARAMS_PER_CHAR = 1;
/** Training images under which a GAN's discriminator overfits (and its generator copies). */
export const GAN_MIN_IMAGES = 1000;
/** Training images per class under which a conditional GAN cannot learn a class. */
export const CONDITIONAL_MIN_PER_CLASS = 50;
/** Training images under which a VAE learns the items rather than the distribution. */
export const VAE_MIN_IMAGES = 200;

export function judgeDataSufficiency(
  run: RunConfig,
  parameters: number,
  data: TrainingAmount & { kind: 'image' | 'text' },
): DataSufficiency {
  const family = run.family;
  const conditional = run.family === 'dcgan' && run.config.classCount > 0;
  if (data.kind === 'text') {
    const characters = data.trainCharacters ?? 0;
    const ratio = characters > 0 ? parameters / characters : Infinity;
    return {
      ok: ratio <= TEXT_PARAMS_PER_CHAR,
      rule: `char-rnn practice: about as many parameters as training characters (≤ ${TEXT_PARAMS_PER_CHAR} per character); nanoGPT's 10.7M-parameter model on 1M characters of Shakespeare overfits within a few thousand steps`,
      figures: { parameters, trainingCharacters: characters, parametersPerCharacter: ratio },
      message:
        ratio <= TEXT_PARAMS_PER_CHAR
          ? `${fmt(parameters)} parameters for ${fmt(characters)} training characters: enough text for this model.`
          : `${fmt(parameters)} parameters for ${fmt(characters)} training characters (${ratio.toFixed(1)} per character): expect the validation loss to turn up early and samples to copy the text; use a smaller preset or more text.`,
    };
  }
  const images = data.trainPerClass.reduce((sum, n) => sum + n, 0);
  const smallestClass = data.trainPerClass.length > 0 ? Math.min(...data.trainPerClass) : 0;
  const figures = { parameters, trainingImages: images, smallestClass };
  if (family === 'dcgan' && conditional && smallestClass < CONDITIONAL_MIN_PER_CLASS) {
    return {
      ok: false,
      rule: `a conditional GAN needs ≥ ${CONDITIONAL_MIN_PER_CLASS} images in every class`,
      figures,
      message: `The smallest class has ${smallestClass} training images: the model will not learn it (or will copy it); add images or oversample it in a new version.`,
    };
  }
  const minimum = family === 'dcgan' ? GAN_MIN_IMAGES : VAE_MIN_IMAGES;
  const rule =
    family === 'dcgan'
      ? `GANs need ≥ ${GAN_MIN_IMAGES} training images; with fewer the discriminator overfits (Karras et al. 2020)`
      : `a VAE needs ≥ ${VAE_MIN_IMAGES} training images to learn more than the items`;
  return {
    ok: images >= minimum,
    rule,
    figures,
    message:
      images >= minimum
        ? `${fmt(images)} training images for ${fmt(parameters)} parameters: enough for this model.`
        : `Only ${fmt(images)} training images for ${fmt(parameters)} parameters: expect samples that copy training items; add data or use augmentation.`,
  };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
