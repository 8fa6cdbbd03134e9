// The per-sample evidence of an evaluation, kept in `sample_evaluations` beside the samples it
// judged, so the gallery reads it in its one paged query. Written in one transaction per
// evaluation; a sample judged again keeps its newest evidence.

import type { SampleEvaluation } from '../../preload/contract';
import type { Db } from '../db/connection';

export type NewSampleEvidence =
  | {
      kind: 'image';
      sampleId: number;
      step: number;
      nearestItemId: number | null;
      nearestBlobSha: string | null;
      featureDistance: number | null;
      distanceRatio: number | null;
      nearCopy: boolean;
      pixelItemId: number | null;
      pixelBlobSha: string | null;
      pixelRms: number | null;
      /** What the feature classifier sees (absent for an unlabeled version). */
      predictedLabel?: string;
      predictedConfidence?: number | null;
      classifierAccuracy?: number | null;
      classifierChance?: number | null;
    }
  | { kind: 'text'; sampleId: number; step: number; copyStart: number; copyEnd: number };

/** The evidence columns as a query joining `sample_evaluations e` selects them. */
export const EVIDENCE_COLUMNS = `e.step AS e_step, e.nearest_item_id AS e_nearest_item_id,
  e.nearest_blob_sha AS e_nearest_blob_sha, e.feature_distance AS e_feature_distance,
  e.distance_ratio AS e_distance_ratio, e.near_copy AS e_near_copy,
  e.pixel_item_id AS e_pixel_item_id, e.pixel_blob_sha AS e_pixel_blob_sha,
  e.pixel_rms AS e_pixel_rms, e.copy_start AS e_copy_start, e.copy_end AS e_copy_end,
  e.predicted_label AS e_predicted_label, e.predicted_confidence AS e_predicted_confidence,
  e.classifier_accuracy AS e_classifier_accuracy, e.classifier_chance AS e_classifier_chance`;

export interface EvidenceRow {
  kind: 'image' | 'text';
  e_step: number | null;
  e_nearest_item_id: number | null;
  e_nearest_blob_sha: string | null;
  e_feature_distance: number | null;
  e_distance_ratio: number | null;
  e_near_copy: number | null;
  e_pixel_item_id: number | null;
  e_pixel_blob_sha: string | null;
  e_pixel_rms: number | null;
  e_copy_start: number | null;
  e_copy_end: number | null;
  e_predicted_label: string | null;
  e_predicted_confidence: number | null;
  e_classifier_accuracy: number | null;
  e_classifier_chance: number | null;
}

/** A joined row's evidence, or null when no evaluation judged the sample. */
export function toSampleEvaluation(row: EvidenceRow): SampleEvaluation | null {
  if (row.e_step === null) return null;
  if (row.kind === 'text') {
    return {
      kind: 'text',
      step: row.e_step,
      copyStart: row.e_copy_start ?? 0,
      copyEnd: row.e_copy_end ?? 0,
    };
  }
  return {
    kind: 'image',
    step: row.e_step,
    nearestItemId: row.e_nearest_item_id,
    nearestBlobSha: row.e_nearest_blob_sha,
    featureDistance: row.e_feature_distance,
    distanceRatio: row.e_distance_ratio,
    nearCopy: row.e_near_copy === 1,
    pixelItemId: row.e_pixel_item_id,
    pixelBlobSha: row.e_pixel_blob_sha,
    pixelRms: row.e_pixel_rms,
    predictedClass:
      row.e_predicted_label === null
        ? null
        : {
            label: row.e_predicted_label,
            confidence: row.e_predicted_confidence,
            classifierAccuracy: row.e_classifier_accuracy,
            classifierChance: row.e_classifier_chance,
          },
  };
}

/** SQLite stores no NaN or Infinity as REAL: an unknown figure is NULL. */
function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export class SampleEvidenceRepository {
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO sample_evaluations (sample_id, step, nearest_item_id,
         nearest_blob_sha, feature_distance, distance_ratio, near_copy, pixel_item_id,
         pixel_blob_sha, pixel_rms, copy_start, copy_end, predicted_label, predicted_confidence,
         classifier_accuracy, classifier_chance)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(evidence: readonly NewSampleEvidence[]): void {
    this.db.transaction(() => {
      for (const e of evidence) {
        if (e.kind === 'text') {
          this.upsert.run(
            e.sampleId,
            e.step,
            null,
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            e.copyStart,
            e.copyEnd,
            null,
            null,
            null,
            null,
          );
        } else {
          this.upsert.run(
            e.sampleId,
            e.step,
            e.nearestItemId,
            e.nearestBlobSha,
            finite(e.featureDistance),
            finite(e.distanceRatio),
            e.nearCopy ? 1 : 0,
            e.pixelItemId,
            e.pixelBlobSha,
            finite(e.pixelRms),
            null,
            null,
            e.predictedLabel ?? null,
            finite(e.predictedConfidence ?? null),
            finite(e.classifierAccuracy ?? null),
            finite(e.classifierChance ?? null),
          );
        }
      }
    })();
  }
}
