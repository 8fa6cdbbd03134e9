import type {
  AuditFinding,
  AuditFindingType,
  AuditFixResult,
  AuditReport,
  VersionSummary,
} from '../../preload/contract';
import { notFound, StudioFailure } from '../core/failure';
import type { ItemChanges } from '../datasets/versions/versionService';

/** What a fix changes, and the sentence that says so. */
export interface AuditFixPlan extends ItemChanges {
  note: string;
  findingIds: number[];
}

/** The members a fix acts on; the others ('keep', 'source', 'neighbour', ...) are evidence. */
const ACTED_ON = new Set(['subject', 'duplicate', 'leak']);

/** What an excluded item is called in the note (singular), by the finding that excluded it. */
function exclusionNoun(finding: AuditFinding): string {
  if (finding.action === 'keep-one') return 'duplicate';
  if (finding.type === 'leakage') return 'leaked item';
  return `${finding.type} item`;
}

function refusal(finding: AuditFinding): StudioFailure {
  const what = finding.action === 'rebalance' ? 'Rebalancing' : 'This finding';
  return new StudioFailure(
    'invalid-input',
    `${what} is not a one-click fix ("${finding.title}"): look at the evidence and edit the items in Browse.`,
    { findingId: finding.id, action: finding.action },
  );
}

/**
 * Turns findings into one set of exclusions and relabels. An item named by several findings is
 * changed once: an exclusion wins over a relabel, since an excluded item no longer trains.
 */
export function planAuditFix(findings: readonly AuditFinding[]): AuditFixPlan {
  const excluded = new Map<number, string>();
  const relabel = new Map<number, { from: string | null; to: string }>();
  const kinds = new Map<string, number>();
  for (const finding of findings) {
    if (finding.action === 'review' || finding.action === 'rebalance') throw refusal(finding);
    if (finding.action === 'relabel' && finding.suggestedLabel === null) {
      throw new StudioFailure('invalid-input', `"${finding.title}" suggests no label to apply.`, {
        findingId: finding.id,
      });
    }
    for (const member of finding.members) {
      if (member.itemId === null) continue;
      if (finding.action === 'relabel') {
        if (member.role === 'subject' && member.label !== finding.suggestedLabel) {
          relabel.set(member.itemId, { from: member.label, to: finding.suggestedLabel as string });
        }
        continue;
      }
      const acts =
        finding.action === 'keep-one' ? member.role === 'duplicate' : ACTED_ON.has(member.role);
      if (acts && !excluded.has(member.itemId)) {
        const noun = exclusionNoun(finding);
        excluded.set(member.itemId, noun);
        kinds.set(noun, (kinds.get(noun) ?? 0) + 1);
      }
    }
  }
  for (const id of excluded.keys()) relabel.delete(id);
  const parts = [...kinds].map(([noun, n]) => `${n} ${noun}${n === 1 ? '' : 's'} excluded`);
  const moves = new Map<string, number>();
  for (const { from, to } of relabel.values()) {
    const key = `${from ?? 'unlabeled'}→${to}`;
    moves.set(key, (moves.get(key) ?? 0) + 1);
  }
  for (const [move, n] of moves) parts.push(`${n} relabeled ${move}`);
  if (parts.length === 0) {
    throw new StudioFailure(
      'invalid-input',
      'These findings name no item that a fix would change (they may be fixed already).',
    );
  }
  return {
    exclude: [...excluded.keys()],
    relabel: new Map([...relabel].map(([id, { to }]) => [id, to])),
    note: `Audit fix: ${parts.join(', ')}`,
    findingIds: findings.map((f) => f.id),
  };
}

/** Whether a finding has a one-click fix at all. */
export function isFixable(finding: Pick<AuditFinding, 'action'>): boolean {
  return finding.action !== 'review' && finding.action !== 'rebalance';
}

export interface AuditFixDeps {
  report(auditId: number): AuditReport;
  latestVersion(datasetId: number): Pick<VersionSummary, 'id' | 'number'> | null;
  versionNumber(versionId: number): number;
  changeItems(
    datasetId: number,
    baseVersionId: number,
    changes: ItemChanges,
    note: string,
  ): VersionSummary;
}

/** Applies audit findings as one new dataset version, made on the audited version only. */
export class AuditFixService {
  constructor(private readonly deps: AuditFixDeps) {}

  applyFix(auditId: number, findingIds: readonly number[]): AuditFixResult {
    const report = this.deps.report(auditId);
    const byId = new Map(report.findings.map((f) => [f.id, f]));
    const chosen = [...new Set(findingIds)].map((id) => {
      const finding = byId.get(id);
      if (!finding) throw notFound(`Finding ${id} of audit ${auditId}`);
      return finding;
    });
    return this.apply(report, chosen);
  }

  applyAll(auditId: number, type: AuditFindingType, minScore = 0): AuditFixResult {
    const report = this.deps.report(auditId);
    const ofType = report.findings.filter((f) => f.type === type);
    const chosen = ofType.filter((f) => isFixable(f) && f.score >= minScore);
    if (chosen.length === 0) {
      const first = ofType[0];
      if (first && !isFixable(first)) throw refusal(first);
      throw new StudioFailure(
        'invalid-input',
        `Audit ${auditId} has no ${type} finding${minScore > 0 ? ` scored ${minScore} or more` : ''} to fix.`,
      );
    }
    return this.apply(report, chosen);
  }

  private apply(report: AuditReport, findings: readonly AuditFinding[]): AuditFixResult {
    const { summary } = report;
    if (summary.status !== 'completed') {
      throw new StudioFailure(
        'invalid-input',
        `Audit ${summary.auditId} is ${summary.status}; only a completed audit can be applied.`,
      );
    }
    this.checkCurrent(report);
    const plan = planAuditFix(findings);
    let version: VersionSummary;
    try {
      version = this.deps.changeItems(summary.datasetId, summary.versionId, plan, plan.note);
    } catch (err) {
      // Someone changed the dataset between the check and the write.
      if (err instanceof StudioFailure && err.code === 'conflict') this.checkCurrent(report);
      throw err;
    }
    return { auditId: summary.auditId, version, fixedFindingIds: plan.findingIds, note: plan.note };
  }

  private checkCurrent({ summary }: AuditReport): void {
    const latest = this.deps.latestVersion(summary.datasetId);
    if (latest && latest.id !== summary.versionId) {
      const audited = this.deps.versionNumber(summary.versionId);
      throw new StudioFailure(
        'conflict',
        `This audit is of v${audited}, but the dataset is at v${latest.number} now. Run the audit again, then fix.`,
        { auditedVersionId: summary.versionId, latestVersionId: latest.id },
      );
    }
  }
}
