import type { AuditFindingType, AuditReport } from '../../preload/contract';
import { trusted } from './trust';
import type { DraftFinding } from './types';

/** Roles a one-click fix acts on; the others ('keep', 'source', 'neighbour') are context. */
export const ACTED_ON_ROLES = new Set(['subject', 'duplicate', 'leak']);

/**
 * How much an affected item costs the score, per finding type: an item that cannot be used or
 * teaches the wrong thing costs a full point per percent of the data; one that is merely unusual
 * costs less. Class-level findings cost a fixed amount instead.
 */
const WEIGHT: Record<AuditFindingType, number> = {
  'exact-duplicate': 1,
  'near-duplicate': 0.7,
  corrupt: 1,
  blank: 1,
  outlier: 0.3,
  'class-imbalance': 0,
  missing: 0.5,
  'label-error': 1,
  leakage: 1,
  'text-length': 0.2,
  'text-boilerplate': 0.2,
  'text-charset': 0.5,
};

export interface QualitySummary {
  counts: Partial<Record<AuditFindingType, number>>;
  affectedItems: number;
  score: number;
}

/**
 * Counts per type, distinct affected items, and a 0–100 score (100 = nothing found) from the
 * findings the audit trusts.
 */
export function qualitySummary(
  findings: readonly DraftFinding[],
  itemCount: number,
): QualitySummary {
  const counts: Partial<Record<AuditFindingType, number>> = {};
  const affected = new Set<number>();
  const affectedByType = new Map<AuditFindingType, Set<number | string>>();
  let classPenalty = 0;
  for (const f of findings) {
    counts[f.type] = (counts[f.type] ?? 0) + 1;
    if (f.type === 'class-imbalance' || (f.type === 'missing' && f.detail === 'empty-class')) {
      // 'info': remedied already (class-balanced batches), so it costs nothing.
      classPenalty += f.severity === 'high' ? 5 : f.severity === 'info' ? 0 : 2;
      continue;
    }
    // A finding the audit does not trust is shown, but it does not lower the score.
    if (!trusted(f)) continue;
    const set = affectedByType.get(f.type) ?? new Set<number | string>();
    for (const m of f.members) {
      if (!ACTED_ON_ROLES.has(m.role)) continue;
      set.add(m.itemId ?? m.sourcePath);
      if (m.itemId !== null) affected.add(m.itemId);
    }
    affectedByType.set(f.type, set);
  }
  let penalty = Math.min(20, classPenalty);
  const total = Math.max(1, itemCount);
  for (const [type, set] of affectedByType) penalty += (100 * WEIGHT[type] * set.size) / total;
  return { counts, affectedItems: affected.size, score: Math.max(0, Math.round(100 - penalty)) };
}

export function reportAsJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const CSV_COLUMNS = [
  'finding_id',
  'type',
  'detail',
  'severity',
  'score',
  'title',
  'action',
  'suggested_label',
  'confidence',
  'confidence_level',
  'confidence_why',
  'item_id',
  'source_path',
  'label',
  'split',
  'role',
  'synthetic',
] as const;

/** One row per finding member (a finding without members gets one row), RFC 4180 quoting. */
export function reportAsCsv(report: AuditReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of report.findings) {
    const base = [
      f.id,
      f.type,
      f.detail,
      f.severity,
      f.score,
      f.title,
      f.action,
      f.suggestedLabel ?? '',
      // How far the audit trusts this finding on this dataset, so a spreadsheet can sort by it.
      f.confidence.value,
      f.confidence.level,
      f.confidence.why,
    ];
    const members = f.members.length > 0 ? f.members : [null];
    for (const m of members) {
      const row = [
        ...base,
        m?.itemId ?? '',
        m?.sourcePath ?? '',
        m?.label ?? '',
        m?.split ?? '',
        m?.role ?? '',
        m?.synthetic ? 'yes' : '',
      ];
      lines.push(row.map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

// A spreadsheet runs a cell that starts like a formula; file names and labels come from whoever
// made the dataset. OWASP's CSV-injection advice: prefix such text with a quote so it stays text.
// Numbers are the studio's own (scores, ids) and may be negative, so they are left as they are.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number): string {
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
