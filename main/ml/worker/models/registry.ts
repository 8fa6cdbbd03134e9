// The model families' builders by name (their configs are in configs.ts, which is tfjs-free).

import type { ModelFamily } from '../../../../preload/contract';
import { buildCharGpt, type CharGpt } from './charGpt';
import { buildCharRnn, type CharRnn } from './charRnn';
import type { FamilyConfig } from '../../config/configs';
import { buildConvVae, type ConvVae } from './convVae';
import { buildDcgan, type Dcgan } from './dcgan';
import { buildDenseVae, type DenseVae } from './denseVae';

export interface Models {
  'dense-vae': DenseVae;
  'conv-vae': ConvVae;
  dcgan: Dcgan;
  'char-rnn': CharRnn;
  'char-gpt': CharGpt;
}

export type ModelOf<F extends ModelFamily> = Models[F];

/** Builds a family's network from its config; `seed` sets the initial weights. */
export function buildModel(spec: FamilyConfig, seed = 1): Models[ModelFamily] {
  switch (spec.family) {
    case 'dense-vae':
      return buildDenseVae({ ...spec.config, seed });
    case 'conv-vae':
      return buildConvVae(spec.config, { seed });
    case 'dcgan':
      return buildDcgan(spec.config, { seed });
    case 'char-rnn':
      return buildCharRnn(spec.config, { seed });
    case 'char-gpt':
      return buildCharGpt(spec.config, { seed });
  }
}
