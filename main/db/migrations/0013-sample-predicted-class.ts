import type { Migration } from '../migrate';

// What the version's feature classifier sees in each judged image sample: the class it predicts
// (by label, not by index, since a later version may number its classes differently), its
// softmax probability, and how good that classifier is on the version's held-out validation items
// (its accuracy, and the accuracy of always guessing the largest class), so "add to dataset" can
// tell a suggestion worth preselecting from one a person should only be shown. All NULL for texts,
// for unlabeled versions (an autoencoder predicts no class) and for evidence kept from before.
export const samplePredictedClass: Migration = {
  version: 13,
  name: 'sample-predicted-class',
  up: `
    ALTER TABLE sample_evaluations ADD COLUMN predicted_label TEXT;
    ALTER TABLE sample_evaluations ADD COLUMN predicted_confidence REAL
      CHECK (predicted_confidence IS NULL OR (predicted_confidence >= 0 AND predicted_confidence <= 1));
    ALTER TABLE sample_evaluations ADD COLUMN classifier_accuracy REAL;
    ALTER TABLE sample_evaluations ADD COLUMN classifier_chance REAL;
  `,
};
