import type {
  AuditFinding,
  AuditFindingMember,
  AuditNotice,
  AuditRunStatus,
  AuditSummary,
  DataSplit,
  DatasetKind,
  Preprocessing,
  SkippedFile,
  VersionQuality,
} from '../../preload/contract';
import { parseStoredPreprocessing } from '../datasets/versions/preprocessing';
import { nowIso, type Db } from '../db/connection';
import { splitConfidence, withConfidence } from './trust';
import type { AuditItem, DraftFinding } from './types';

interface RunRow {
  id: number;
  dataset_id: number;
  version_id: number;
  status: AuditRunStatus;
  item_count: number;
  computed_count: number;
  score: number | null;
  summary: string;
  message: string | null;
  started_at: string;
  finished_at: string | null;
  synthetic_count: number;
  /** JSON: [{ label, count }] of the synthetic items per class. */
  synthetic_per_class: string;
}

/** What the summary JSON column holds beyond the run's own columns. */
export interface StoredSummary {
  counts: AuditSummary['counts'];
  affectedItems: number;
  durationMs: number | null;
  notices?: AuditNotice[];
  [key: string]: unknown;
}

/** Every SQL statement of the audit, prepared once. */
export class AuditRepository {
  private readonly statements;
  private readonly hasSplit: boolean;
  private readonly hasSkipOutcome: boolean;

  constructor(private readonly db: Db) {
    const columns = (table: string): string[] =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    // Splits (migration 0003) and import remarks (0002) are read when the schema has them.
    this.hasSplit = columns('version_items').includes('split');
    this.hasSkipOutcome = columns('import_skips').includes('outcome');
    // Synthetic items (migration 0012): counted and marked when the schema has them.
    const hasSynthetic = columns('synthetic_items').length > 0;
    const syntheticCount = (run: string) =>
      hasSynthetic
        ? `(SELECT COUNT(*) FROM version_items sv JOIN synthetic_items si ON si.item_id = sv.item_id
             WHERE sv.version_id = ${run}.version_id) AS synthetic_count,
           (SELECT json_group_array(json_object('label', label, 'count', n)) FROM
             (SELECT sv.label, COUNT(*) AS n FROM version_items sv
                JOIN synthetic_items si ON si.item_id = sv.item_id
              WHERE sv.version_id = ${run}.version_id
              GROUP BY sv.label ORDER BY sv.label IS NULL, sv.label)) AS synthetic_per_class`
        : `0 AS synthetic_count, '[]' AS synthetic_per_class`;
    const isSynthetic = hasSynthetic
      ? 'EXISTS (SELECT 1 FROM synthetic_items si WHERE si.item_id = m.item_id)'
      : '0';
    this.statements = {
      dataset: db.prepare(
        `SELECT id, kind, source_path FROM datasets WHERE id = ? AND status = 'ready'`,
      ),
      latestVersion: db.prepare(
        `SELECT id FROM dataset_versions WHERE dataset_id = ? ORDER BY number DESC LIMIT 1`,
      ),
      versionDataset: db.prepare(`SELECT dataset_id FROM dataset_versions WHERE id = ?`),
      versionPreprocessing: db.prepare(`SELECT preprocessing FROM dataset_versions WHERE id = ?`),
      items: db.prepare(
        `SELECT i.id AS itemId, i.blob_sha AS blobSha, i.kind, vi.label, ${this.hasSplit ? 'vi.split' : 'NULL'} AS split,
           i.source_path AS sourcePath, i.format, i.channels, i.byte_size AS byteSize
         FROM version_items vi JOIN items i ON i.id = vi.item_id
         WHERE vi.version_id = ? ORDER BY i.source_path, i.id`,
      ),
      importedLabels: db.prepare(
        `SELECT DISTINCT label FROM items WHERE dataset_id = ? AND label IS NOT NULL`,
      ),
      skipped: db.prepare(
        `SELECT source_path AS sourcePath, reason FROM import_skips WHERE dataset_id = ?
         ${this.hasSkipOutcome ? `AND outcome = 'skipped'` : ''} ORDER BY id`,
      ),
      insertRun: db.prepare(
        `INSERT INTO audit_runs (dataset_id, version_id, status, options, started_at)
         VALUES (?, ?, 'running', ?, ?)`,
      ),
      finishRun: db.prepare(
        `UPDATE audit_runs SET status = ?, item_count = ?, computed_count = ?, score = ?, summary = ?,
           message = ?, finished_at = ? WHERE id = ?`,
      ),
      run: db.prepare(`SELECT a.*, ${syntheticCount('a')} FROM audit_runs a WHERE id = ?`),
      latestRun: db.prepare(
        `SELECT a.*, ${syntheticCount('a')} FROM audit_runs a
         WHERE dataset_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      latestRunOfVersion: db.prepare(
        `SELECT a.*, ${syntheticCount('a')} FROM audit_runs a
         WHERE version_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      // Per version, its newest completed audit: what the version's quality is known to be.
      history: db.prepare(
        `SELECT r.*, v.number AS version_number, v.note AS version_note, ${syntheticCount('r')}
         FROM audit_runs r JOIN dataset_versions v ON v.id = r.version_id
         WHERE r.dataset_id = ? AND r.status = 'completed'
           AND r.id = (SELECT MAX(id) FROM audit_runs
                       WHERE version_id = r.version_id AND status = 'completed')
         ORDER BY v.number`,
      ),
      interrupt: db.prepare(
        `UPDATE audit_runs SET status = 'interrupted', message = 'The studio stopped while this audit ran.',
           finished_at = ? WHERE status = 'running'`,
      ),
      insertFinding: db.prepare(
        `INSERT INTO audit_findings (audit_id, type, detail, severity, score, title, action, action_label, evidence)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertMember: db.prepare(
        `INSERT INTO audit_finding_members (finding_id, position, item_id, source_path, role) VALUES (?, ?, ?, ?, ?)`,
      ),
      insertScore: db.prepare(
        `INSERT INTO audit_item_scores (audit_id, item_id, uniqueness) VALUES (?, ?, ?)`,
      ),
      findings: db.prepare(
        `SELECT id, type, detail, severity, score, title, action, action_label, evidence
         FROM audit_findings WHERE audit_id = ? ORDER BY id`,
      ),
      members: db.prepare(
        `SELECT m.finding_id, m.item_id, m.source_path, m.role, i.blob_sha, vi.label, ${this.hasSplit ? 'vi.split' : 'NULL'} AS split,
           ${isSynthetic} AS synthetic
         FROM audit_findings f
         JOIN audit_finding_members m ON m.finding_id = f.id
         LEFT JOIN items i ON i.id = m.item_id
         LEFT JOIN version_items vi ON vi.version_id = ? AND vi.item_id = m.item_id
         WHERE f.audit_id = ? ORDER BY m.finding_id, m.position`,
      ),
    };
  }

  dataset(datasetId: number): { id: number; kind: DatasetKind; sourcePath: string } | null {
    const row = this.statements.dataset.get(datasetId) as
      { id: number; kind: DatasetKind; source_path: string } | undefined;
    return row ? { id: row.id, kind: row.kind, sourcePath: row.source_path } : null;
  }

  latestVersionId(datasetId: number): number | null {
    return (this.statements.latestVersion.get(datasetId) as { id: number } | undefined)?.id ?? null;
  }

  datasetOfVersion(versionId: number): number | null {
    return (
      (this.statements.versionDataset.get(versionId) as { dataset_id: number } | undefined)
        ?.dataset_id ?? null
    );
  }

  /** The version's training settings (class-balanced batches remedy an imbalance). */
  preprocessing(versionId: number): Preprocessing {
    const row = this.statements.versionPreprocessing.get(versionId) as
      { preprocessing: string } | undefined;
    return parseStoredPreprocessing(row?.preprocessing ?? '{}');
  }

  /**
   * A version's items by source path: an import's parallel decoding numbers items in no fixed
   * order, and the audit's seeded steps (folds, index cells) must see the same folder the same way.
   */
  items(versionId: number): AuditItem[] {
    return this.statements.items.all(versionId) as AuditItem[];
  }

  importedLabels(datasetId: number): string[] {
    return (this.statements.importedLabels.all(datasetId) as { label: string }[]).map(
      (r) => r.label,
    );
  }

  skipped(datasetId: number): SkippedFile[] {
    return this.statements.skipped.all(datasetId) as SkippedFile[];
  }

  beginRun(datasetId: number, versionId: number, options: Record<string, unknown>): number {
    const info = this.statements.insertRun.run(
      datasetId,
      versionId,
      JSON.stringify(options),
      nowIso(),
    );
    return Number(info.lastInsertRowid);
  }

  /** Marks audits a killed process left 'running' as interrupted (at start-up). */
  interruptUnfinished(): number {
    return this.statements.interrupt.run(nowIso()).changes;
  }

  /** Writes every finding and score and closes the run, in one transaction. */
  completeRun(
    auditId: number,
    result: {
      findings: readonly DraftFinding[];
      uniqueness: ReadonlyMap<number, number>;
      itemCount: number;
      computedCount: number;
      score: number;
      summary: StoredSummary;
      /** A caveat on a completed audit (a check that could not run), shown with it. */
      message?: string | null;
    },
  ): void {
    const s = this.statements;
    this.db.transaction(() => {
      for (const f of result.findings) {
        const info = s.insertFinding.run(
          auditId,
          f.type,
          f.detail,
          f.severity,
          f.score,
          f.title,
          f.action,
          f.suggestedLabel ?? null,
          JSON.stringify(withConfidence(f)),
        );
        const findingId = Number(info.lastInsertRowid);
        f.members.forEach((m, position) =>
          s.insertMember.run(findingId, position, m.itemId, m.sourcePath, m.role),
        );
      }
      for (const [itemId, uniqueness] of result.uniqueness)
        s.insertScore.run(auditId, itemId, uniqueness);
      s.finishRun.run(
        'completed',
        result.itemCount,
        result.computedCount,
        result.score,
        JSON.stringify(result.summary),
        result.message ?? null,
        nowIso(),
        auditId,
      );
    })();
  }

  endRun(
    auditId: number,
    status: 'cancelled' | 'failed',
    message: string,
    itemCount: number,
    computedCount: number,
  ): void {
    this.statements.finishRun.run(
      status,
      itemCount,
      computedCount,
      null,
      '{}',
      message,
      nowIso(),
      auditId,
    );
  }

  summary(auditId: number): AuditSummary | null {
    const row = this.statements.run.get(auditId) as RunRow | undefined;
    return row ? toSummary(row) : null;
  }

  latestSummary(datasetId: number, versionId?: number): AuditSummary | null {
    const row = (
      versionId === undefined
        ? this.statements.latestRun.get(datasetId)
        : this.statements.latestRunOfVersion.get(versionId)
    ) as RunRow | undefined;
    return row ? toSummary(row) : null;
  }

  history(datasetId: number): VersionQuality[] {
    const rows = this.statements.history.all(datasetId) as (RunRow & {
      version_number: number;
      version_note: string;
    })[];
    return rows.map((row) => ({
      versionId: row.version_id,
      versionNumber: row.version_number,
      note: row.version_note,
      summary: toSummary(row),
    }));
  }

  findings(auditId: number, versionId: number): AuditFinding[] {
    const rows = this.statements.findings.all(auditId) as {
      id: number;
      type: AuditFinding['type'];
      detail: string;
      severity: AuditFinding['severity'];
      score: number;
      title: string;
      action: AuditFinding['action'];
      action_label: string | null;
      evidence: string;
    }[];
    const members = new Map<number, AuditFindingMember[]>();
    const memberRows = this.statements.members.all(versionId, auditId) as {
      finding_id: number;
      item_id: number | null;
      source_path: string;
      role: string;
      blob_sha: string | null;
      label: string | null;
      split: DataSplit | null;
      synthetic: number;
    }[];
    for (const m of memberRows) {
      const list = members.get(m.finding_id) ?? [];
      list.push({
        itemId: m.item_id,
        sourcePath: m.source_path,
        blobSha: m.blob_sha,
        label: m.label,
        split: m.split,
        role: m.role,
        synthetic: m.synthetic === 1,
      });
      members.set(m.finding_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      detail: r.detail,
      severity: r.severity,
      score: r.score,
      title: r.title,
      action: r.action,
      suggestedLabel: r.action_label,
      members: members.get(r.id) ?? [],
      ...splitConfidence(
        r.type,
        r.detail,
        r.score,
        JSON.parse(r.evidence) as Record<string, unknown>,
      ),
    }));
  }
}

function toSummary(row: RunRow): AuditSummary {
  const stored = JSON.parse(row.summary) as Partial<StoredSummary>;
  return {
    auditId: row.id,
    datasetId: row.dataset_id,
    versionId: row.version_id,
    status: row.status,
    message: row.message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    itemCount: row.item_count,
    computedCount: row.computed_count,
    score: row.score,
    counts: stored.counts ?? {},
    affectedItems: stored.affectedItems ?? 0,
    durationMs: stored.durationMs ?? null,
    notices: stored.notices ?? [],
    syntheticCount: row.synthetic_count,
    syntheticPerClass: JSON.parse(row.synthetic_per_class) as AuditSummary['syntheticPerClass'],
  };
}
