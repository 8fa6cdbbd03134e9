import type { DatasetKind } from '../../preload/contract';
import { nowIso, type Db } from '../db/connection';
import { packFeatures, unpackFeatures, type Packable } from './featureCodec';

/**
 * Per-blob features, cached across audits: a re-audit after items were added decodes only the
 * new ones. Keyed by blob hash and kind; rows of an older extractor version are ignored (and
 * overwritten), never trusted.
 */
export class FeatureCache {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      get: db.prepare(
        `SELECT data FROM audit_features WHERE blob_sha = ? AND kind = ? AND extractor = ?`,
      ),
      put: db.prepare(
        `INSERT INTO audit_features (blob_sha, kind, extractor, data, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (blob_sha, kind) DO UPDATE SET extractor = excluded.extractor,
           data = excluded.data, created_at = excluded.created_at`,
      ),
    };
  }

  get<T extends Packable>(sha: string, kind: DatasetKind, extractor: number): T | null {
    const row = this.statements.get.get(sha, kind, extractor) as { data: Buffer } | undefined;
    return row ? unpackFeatures<T>(row.data) : null;
  }

  putMany(
    rows: readonly { sha: string; features: Packable }[],
    kind: DatasetKind,
    extractor: number,
  ): void {
    const now = nowIso();
    this.db.transaction(() => {
      for (const row of rows) {
        this.statements.put.run(row.sha, kind, extractor, packFeatures(row.features), now);
      }
    })();
  }
}
