// The contract of the data audit: findings, their one-click fixes and the quality history.
import type { DataSplit, VersionSummary } from './versions';

/** What the audit looks for; `detail` on a finding narrows it ('unlabeled', 'noise', ...). */
export type AuditFindingType =
  | 'exact-duplicate'
  | 'near-duplicate'
  | 'corrupt'
  | 'blank'
  | 'outlier'
  | 'class-imbalance'
  | 'missing'
  | 'label-error'
  | 'leakage'
  | 'text-length'
  | 'text-boilerplate'
  | 'text-charset';

export type AuditSeverity = 'high' | 'medium' | 'low' | 'info';

/**
 * The one-click fix a finding suggests, as item ids: a fix is "exclude or relabel these items",
 * which makes a new dataset version. 'keep-one' excludes every member whose role is 'duplicate'.
 */
export type AuditActionKind = 'exclude' | 'relabel' | 'keep-one' | 'rebalance' | 'review';

export type AuditRunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface AuditFindingMember {
  /** Null for a file the import could not use (it never became an item). */
  itemId: number | null;
  sourcePath: string;
  /** The item's content, for thumbnails (`shell.mediaUrl('thumb', blobSha)`); null without an item. */
  blobSha: string | null;
  label: string | null;
  split: DataSplit | null;
  /**
   * What the member is to the finding. A fix acts on 'subject' (the item the finding is about),
   * 'duplicate' (a copy 'keep-one' drops) and 'leak' (a validation copy of a training item);
   * 'keep', 'source', 'member' and 'neighbour' are shown as evidence.
   */
  role: string;
  /** Made from a generated sample ("add to dataset"), not imported. */
  synthetic: boolean;
}

/**
 * How far the audit trusts one of its findings, and why: exact copies are certain, a label error
 * is as good as the classifier is on the classes it involves. 'low' findings cost the quality
 * score nothing.
 */
export interface AuditConfidence {
  level: 'high' | 'medium' | 'low';
  /** 0–1. */
  value: number;
  /** One sentence, e.g. "the classifier is right for 96% of items it calls \"7\" (chance 11%)". */
  why: string;
}

/**
 * A check the audit could not make on this dataset (its detector is unreliable here), said once
 * instead of as a flood of findings it does not trust.
 */
export interface AuditNotice {
  /** The finding type the check would have produced. */
  check: AuditFindingType;
  message: string;
  /** The measurements behind it: accuracy, chance, classes. */
  evidence: Record<string, unknown>;
}

export interface AuditFinding {
  id: number;
  type: AuditFindingType;
  detail: string;
  severity: AuditSeverity;
  /** 0–1: how sure or how bad; findings of a type are listed by it, highest first. */
  score: number;
  /** One sentence a person reads first. */
  title: string;
  action: AuditActionKind;
  /** For 'relabel': the suggested label. */
  suggestedLabel: string | null;
  members: AuditFindingMember[];
  /** Type-specific: similarities, class histogram, nearest neighbours, probabilities. */
  evidence: Record<string, unknown>;
  confidence: AuditConfidence;
}

export interface AuditSummary {
  auditId: number;
  datasetId: number;
  versionId: number;
  status: AuditRunStatus;
  /** Why it failed or was cancelled, in a sentence. */
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
  itemCount: number;
  /** Items whose features were computed by this run (the rest came from the cache). */
  computedCount: number;
  /** 0–100, null until completed: 100 minus a penalty per affected share of the data. */
  score: number | null;
  /** Findings per type. */
  counts: Partial<Record<AuditFindingType, number>>;
  /** Distinct items that some finding (other than class-level ones) names. */
  affectedItems: number;
  durationMs: number | null;
  /** Checks the audit could not make on this dataset (absent on audits from before notices). */
  notices?: AuditNotice[];
  /** Items of the audited version made from generated samples. */
  syntheticCount: number;
  /** Those synthetic items per class (label null: unlabeled), so a topped-up class shows. */
  syntheticPerClass: { label: string | null; count: number }[];
}

export interface AuditReport {
  summary: AuditSummary;
  findings: AuditFinding[];
}

/**
 * How a 'rebalance' fix evens the classes out. 'oversample' (the default, images only) makes
 * training batches draw every class equally often, with augmentation on so that the repeats of a
 * small class differ; 'undersample' excludes a seeded random subset of every class larger than
 * `targetPerClass` (default: the smallest class, but at least 20) down to it.
 */
export interface RebalanceChoice {
  method: 'oversample' | 'undersample';
  targetPerClass?: number;
}

/** What an audit fix made: one new version, and which findings it fixed. */
export interface AuditFixResult {
  auditId: number;
  version: VersionSummary;
  fixedFindingIds: number[];
  /** The new version's note, e.g. "Audit fix: 2 duplicates excluded, 1 relabeled 7→1". */
  note: string;
}

/** An audited version's quality, for comparing the versions of a dataset. */
export interface VersionQuality {
  versionId: number;
  versionNumber: number;
  /** What made the version, e.g. "Audit fix: 2 duplicates excluded". */
  note: string;
  /** The version's newest completed audit. */
  summary: AuditSummary;
}

export interface AuditExport {
  fileName: string;
  mimeType: string;
  text: string;
}

export interface AuditCalls {
  /** Starts auditing a version (default: the newest) in the background; progress is pushed. */
  'audit:start': (args: { datasetId: number; versionId?: number }) => AuditSummary;
  'audit:cancel': (args: { auditId: number }) => AuditSummary;
  'audit:get': (args: { auditId: number }) => AuditReport;
  /** The newest audit of a dataset (of one version when given), or null when there is none. */
  'audit:latest': (args: { datasetId: number; versionId?: number }) => AuditReport | null;
  /** Every audited version of a dataset, oldest first, with its newest completed audit. */
  'audit:history': (args: { datasetId: number }) => VersionQuality[];
  /** The quality summary and every finding as a JSON or CSV document. */
  'audit:export': (args: { auditId: number; format: 'json' | 'csv' }) => AuditExport;
  /**
   * Applies the one-click fixes of findings as ONE new version, made on the audited version: if
   * the dataset has a newer one, 'conflict' (audit again). 'review' findings are refused.
   * `rebalance` says how 'rebalance' findings are fixed (default: oversample); `keep` chooses
   * which member of a duplicate group stays (finding id → item id; default: the suggested one).
   */
  'audit:applyFix': (args: {
    auditId: number;
    findingIds: number[];
    rebalance?: RebalanceChoice;
    keep?: Record<number, number>;
  }) => AuditFixResult;
  /** Every fixable finding of a type (with a score of at least `minScore`) as one version. */
  'audit:applyAll': (args: {
    auditId: number;
    type: AuditFindingType;
    minScore?: number;
    rebalance?: RebalanceChoice;
  }) => AuditFixResult;
}

export interface AuditProgress {
  auditId: number;
  datasetId: number;
  versionId: number;
  status: AuditRunStatus;
  /** What the audit is doing now: 'features', 'duplicates', 'labels', ... */
  phase: string;
  done: number;
  total: number;
}

export interface AuditEvents {
  'audit:progress': AuditProgress;
}
