import type { AuditFindingType, VersionQuality } from '../../../../../preload/contract';
import { FINDING_TYPE_NAMES } from './auditLabels';

/** A number and how it moved since the previous audited version (null for the first). */
export interface QualityCell {
  value: number;
  change: number | null;
}

export interface QualityRow {
  versionId: number;
  versionNumber: number;
  note: string;
  auditId: number;
  score: QualityCell | null;
  total: QualityCell;
  counts: Record<string, QualityCell>;
}

export interface QualityTable {
  /** The finding types any audited version has, in the order the audit tab lists them. */
  types: AuditFindingType[];
  /** Oldest version first. */
  rows: QualityRow[];
}

function cell(value: number, previous: number | null | undefined): QualityCell {
  return { value, change: previous === undefined || previous === null ? null : value - previous };
}

/**
 * Versions × finding counts and score, each with its change from the audited version before it,
 * so that a fix followed by a new audit shows what it improved.
 */
export function compareQuality(history: readonly VersionQuality[]): QualityTable {
  const present = new Set<AuditFindingType>();
  for (const { summary } of history) {
    for (const [type, count] of Object.entries(summary.counts)) {
      if ((count ?? 0) > 0) present.add(type as AuditFindingType);
    }
  }
  const types = (Object.keys(FINDING_TYPE_NAMES) as AuditFindingType[]).filter((t) =>
    present.has(t),
  );
  const rows: QualityRow[] = [];
  let previous: QualityRow | null = null;
  for (const { versionId, versionNumber, note, summary } of history) {
    const counts: Record<string, QualityCell> = {};
    let total = 0;
    for (const type of types) {
      const count = summary.counts[type] ?? 0;
      total += count;
      counts[type] = cell(count, previous ? (previous.counts[type]?.value ?? 0) : null);
    }
    const row: QualityRow = {
      versionId,
      versionNumber,
      note,
      auditId: summary.auditId,
      score: summary.score === null ? null : cell(summary.score, previous?.score?.value ?? null),
      total: cell(total, previous ? previous.total.value : null),
      counts,
    };
    rows.push(row);
    previous = row;
  }
  return { types, rows };
}

/** "+3", "−2", "±0": how a change reads in the table. */
export function formatChange(change: number): string {
  if (change > 0) return `+${change}`;
  if (change < 0) return `−${-change}`;
  return '±0';
}
