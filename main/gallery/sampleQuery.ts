import type {
  GallerySample,
  ModelFamily,
  SampleOrigin,
  SamplePage,
  SampleQuery,
  SampleRating,
} from '../../preload/contract';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection';
import {
  EVIDENCE_COLUMNS,
  toSampleEvaluation,
  type EvidenceRow,
} from '../evaluation/sampleEvidence';
import { toSampleView, type SampleRow } from '../runs/runRepository';
import { EVIDENCE_JOIN, filterClause, SAMPLE_FROM } from './sampleFilters';

interface GalleryRow extends SampleRow, EvidenceRow {
  seed: number | null;
  latent_index: number | null;
  class_label: string | null;
  prompt: string | null;
  temperature: number | null;
  top_k: number | null;
  top_p: number | null;
  origin: SampleOrigin;
  rating: SampleRating | null;
  dataset_id: number;
  dataset_name: string;
  version_id: number;
  version_number: number;
  family: ModelFamily;
  preset_id: string;
  checkpoint_step: number | null;
}

const COLUMNS = `s.*, r.dataset_id, d.name AS dataset_name, r.version_id, v.number AS version_number,
  r.family, r.preset_id, r.checkpoint_step, ${EVIDENCE_COLUMNS}`;

/** Newest run first, then newest step: what a person came to look at, grouped as they read. */
const ORDER = `ORDER BY s.run_id DESC, s.step DESC, s.idx`;

export const MAX_PAGE = 1000;

/**
 * The gallery's reads and its star/reject writes. A query builds its WHERE from the filters that
 * are set (bound parameters only), so one statement pages through 20,000 samples by index.
 */
export class SampleGallery {
  private readonly byId;
  private readonly rateOne;
  private readonly cache = new Map<string, { count: Statement; page: Statement }>();

  constructor(private readonly db: Db) {
    this.byId = db.prepare(`SELECT ${COLUMNS} ${SAMPLE_FROM} ${EVIDENCE_JOIN} WHERE s.id = ?`);
    this.rateOne = db.prepare(`UPDATE samples SET rating = ? WHERE id = ?`);
  }

  query(query: SampleQuery): SamplePage {
    const { clause, params, readsEvidence } = filterClause(query);
    const statements = this.statementsFor(clause, readsEvidence);
    const offset = query.offset ?? 0;
    const limit = Math.min(query.limit ?? 200, MAX_PAGE);
    const total = (statements.count.get(...params) as { n: number }).n;
    const rows = statements.page.all(...params, limit, offset) as GalleryRow[];
    return { total, offset, samples: rows.map(toGallerySample) };
  }

  /** The samples with these ids, in the order given; a missing id is left out. */
  samples(sampleIds: readonly number[]): (GallerySample & { filePath: string })[] {
    return sampleIds.flatMap((id) => {
      const row = this.byId.get(id) as GalleryRow | undefined;
      return row ? [{ ...toGallerySample(row), filePath: row.file_path }] : [];
    });
  }

  rate(sampleIds: readonly number[], rating: SampleRating | null): number {
    return this.db.transaction(() =>
      sampleIds.reduce((changed, id) => changed + this.rateOne.run(rating, id).changes, 0),
    )();
  }

  /** Statements are prepared once per shape of filter (a handful), not once per call. */
  private statementsFor(clause: string, filtersEvidence: boolean) {
    let statements = this.cache.get(clause);
    if (!statements) {
      statements = {
        // The count joins the evidence only when a filter reads it.
        count: this.db.prepare(
          `SELECT COUNT(*) AS n ${SAMPLE_FROM} ${filtersEvidence ? EVIDENCE_JOIN : ''} ${clause}`,
        ),
        page: this.db.prepare(
          `SELECT ${COLUMNS} ${SAMPLE_FROM} ${EVIDENCE_JOIN} ${clause} ${ORDER} LIMIT ? OFFSET ?`,
        ),
      };
      this.cache.set(clause, statements);
    }
    return statements;
  }
}

function toGallerySample(row: GalleryRow): GallerySample {
  return {
    ...toSampleView(row),
    rating: row.rating,
    provenance: {
      origin: row.origin,
      seed: row.seed,
      latentIndex: row.latent_index,
      classLabel: row.class_label,
      prompt: row.prompt,
      temperature: row.temperature,
      topK: row.top_k,
      topP: row.top_p,
    },
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    versionId: row.version_id,
    versionNumber: row.version_number,
    family: row.family,
    presetId: row.preset_id,
    evaluation: toSampleEvaluation(row),
    runCheckpointStep: row.checkpoint_step,
  };
}
