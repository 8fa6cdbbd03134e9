import type {
  AuditActionKind,
  AuditFindingType,
  AuditSeverity,
  DataSplit,
  DatasetKind,
} from '../../preload/contract';

/** One item of the audited version, as the detectors see it. */
export interface AuditItem {
  itemId: number;
  blobSha: string;
  kind: DatasetKind;
  label: string | null;
  split: DataSplit | null;
  sourcePath: string;
  format: string;
  channels: number;
  byteSize: number;
}

/** A member of a finding before it is stored; itemId null for a file that never became an item. */
export interface DraftMember {
  itemId: number | null;
  sourcePath: string;
  role: string;
}

/** A finding as a detector produces it; the service stores it and gives it an id. */
export interface DraftFinding {
  type: AuditFindingType;
  detail: string;
  severity: AuditSeverity;
  score: number;
  title: string;
  action: AuditActionKind;
  suggestedLabel?: string | null;
  members: DraftMember[];
  evidence: Record<string, unknown>;
}

/** Lets a long detector report progress and stop between chunks of work. */
export interface WorkControl {
  /** Throws AuditCancelled when the audit was cancelled; yields to the event loop now and then. */
  checkpoint(): Promise<void>;
  progress(phase: string, done: number, total: number): void;
  /** Aborted when the audit is cancelled, for work handed to another thread. */
  signal?: AbortSignal;
}

export class AuditCancelled extends Error {
  constructor() {
    super('The audit was cancelled.');
    this.name = 'AuditCancelled';
  }
}

/** A control that never stops and reports nowhere: for tests and pure calls. */
export const NO_CONTROL: WorkControl = {
  checkpoint: () => Promise.resolve(),
  progress: () => undefined,
};

export function member(item: AuditItem, role: string): DraftMember {
  return { itemId: item.itemId, sourcePath: item.sourcePath, role };
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Rounds for evidence JSON: six significant digits are plenty to read and compare. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
