import type {
  AuditFinding,
  AuditFindingType,
  AuditFixResult,
  AuditReport,
  DatasetKind,
  Preprocessing,
  RebalanceChoice,
  VersionSummary,
} from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import type { ItemChanges, VersionService } from '../datasets/versions/versionService';
import { DEFAULT_REBALANCE, planRebalance, type LabeledItem } from './rebalance';

/** What a fix changes, and the sentence that says so. */
export interface AuditFixPlan extends ItemChanges {
  note: string;
  findingIds: number[];
}

/** What the person chose where a fix has more than one way. */
export interface AuditFixChoices {
  /** Finding id → the item that stays, for a duplicate group (default: the suggested one). */
  keep?: ReadonlyMap<number, number>;
  /** How 'rebalance' findings are fixed (default: oversample). */
  rebalance?: RebalanceChoice;
}

/** The contract's keep choices (JSON: finding ids as keys) as a map. */
export function keepChoices(keep: Readonly<Record<number, number>>): Map<number, number> {
  return new Map(Object.entries(keep).map(([findingId, itemId]) => [Number(findingId), itemId]));
}

/** The audited version as rebalancing needs it; read only when a fix rebalances. */
export interface AuditedVersion {
  kind: DatasetKind;
  items: readonly LabeledItem[];
  preprocessing: Preprocessing;
  versionId: number;
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
  return new StudioFailure(
    'invalid-input',
    `This finding is not a one-click fix ("${finding.title}"): look at the evidence and edit the items in Browse.`,
    { findingId: finding.id, action: finding.action },
  );
}

/** The item each chosen duplicate group keeps, checked against its members. */
function keptItems(
  findings: readonly AuditFinding[],
  keep: ReadonlyMap<number, number> = new Map(),
): Map<number, number | null> {
  const byId = new Map(findings.map((f) => [f.id, f]));
  for (const [findingId, itemId] of keep) {
    const finding = byId.get(findingId);
    if (!finding) {
      throw new StudioFailure(
        'invalid-input',
        `Finding ${findingId} is not one of the findings being fixed, so it cannot choose what stays.`,
        { findingId },
      );
    }
    if (finding.action !== 'keep-one') {
      throw new StudioFailure(
        'invalid-input',
        `"${finding.title}" is not a duplicate group: there is no item to choose to keep.`,
        { findingId },
      );
    }
    if (!finding.members.some((m) => m.itemId === itemId)) {
      throw new StudioFailure(
        'invalid-input',
        `Item ${itemId} is not a member of "${finding.title}"; choose one of its members to keep.`,
        { findingId, itemId },
      );
    }
  }
  const kept = new Map<number, number | null>();
  for (const finding of findings) {
    if (finding.action !== 'keep-one') continue;
    const suggested = finding.members.find((m) => m.role === 'keep')?.itemId ?? null;
    kept.set(finding.id, keep.get(finding.id) ?? suggested);
  }
  return kept;
}

/**
 * Turns findings into one set of exclusions and relabels (and, to rebalance, settings). An item
 * named by several findings is changed once: an exclusion wins over a relabel, since an excluded
 * item no longer trains.
 */
export function planAuditFix(
  findings: readonly AuditFinding[],
  choices: AuditFixChoices = {},
  audited?: AuditedVersion,
): AuditFixPlan {
  const excluded = new Map<number, string>();
  const relabel = new Map<number, { from: string | null; to: string }>();
  const kinds = new Map<string, number>();
  const kept = keptItems(findings, choices.keep);
  let rebalances = false;
  for (const finding of findings) {
    if (finding.action === 'review') throw refusal(finding);
    if (finding.action === 'rebalance') {
      rebalances = true;
      continue;
    }
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
      const stays = kept.get(finding.id) ?? null;
      const acts =
        finding.action === 'keep-one'
          ? // A group with no suggested keeper and no choice: only its 'duplicate' members go.
            stays === null
            ? member.role === 'duplicate'
            : member.itemId !== stays
          : ACTED_ON.has(member.role);
      if (acts && !excluded.has(member.itemId)) {
        const noun = exclusionNoun(finding);
        excluded.set(member.itemId, noun);
        kinds.set(noun, (kinds.get(noun) ?? 0) + 1);
      }
    }
  }
  // An item the person chose to keep must not go by another finding of the same fix (e.g. as
  // the leaked side of a leakage finding): say so rather than empty the group.
  for (const [findingId, itemId] of choices.keep ?? []) {
    const why = excluded.get(itemId);
    if (why !== undefined) {
      throw new StudioFailure(
        'invalid-input',
        `The item chosen to stay (${itemId}) would also be excluded as a ${why} by another finding in this fix; fix them one at a time or keep another member.`,
        { findingId, itemId },
      );
    }
  }
  for (const id of excluded.keys()) relabel.delete(id);
  const parts = [...kinds].map(([noun, n]) => `${n} ${noun}${n === 1 ? '' : 's'} excluded`);
  let preprocessing: Preprocessing | undefined;
  let rebalanceNote: string | null = null;
  if (rebalances) {
    if (!audited) throw new Error('Rebalancing needs the audited version');
    // Rebalance what the other fixes leave: their exclusions and new labels count.
    const remaining = audited.items
      .filter((item) => !excluded.has(item.itemId))
      .map((item) => ({ itemId: item.itemId, label: relabel.get(item.itemId)?.to ?? item.label }));
    const rebalance = planRebalance(choices.rebalance ?? DEFAULT_REBALANCE, {
      kind: audited.kind,
      items: remaining,
      preprocessing: audited.preprocessing,
      seed: audited.versionId,
    });
    for (const id of rebalance.exclude) {
      excluded.set(id, 'undersampled');
      relabel.delete(id);
    }
    if (rebalance.preprocessing) preprocessing = rebalance.preprocessing;
    rebalanceNote = rebalance.note;
  }
  const moves = new Map<string, number>();
  for (const { from, to } of relabel.values()) {
    const key = `${from ?? 'unlabeled'}→${to}`;
    moves.set(key, (moves.get(key) ?? 0) + 1);
  }
  for (const [move, n] of moves) parts.push(`${n} relabeled ${move}`);
  if (rebalanceNote !== null) parts.push(rebalanceNote);
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
    ...(preprocessing ? { preprocessing } : {}),
  };
}

/** Whether a finding has a one-click fix at all. */
export function isFixable(finding: Pick<AuditFinding, 'action'>): boolean {
  return finding.action !== 'review';
}

export interface AuditFixDeps {
  report(auditId: number): AuditReport;
  latestVersion(datasetId: number): Pick<VersionSummary, 'id' | 'number'> | null;
  versionNumber(versionId: number): number;
  /** The audited version's kind, items with their labels, and settings (for rebalancing). */
  auditedVersion(versionId: number): AuditedVersion;
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

  /** Fixes written through the dataset versions service, with reports from `report`. */
  static over(versions: VersionService, report: (auditId: number) => AuditReport): AuditFixService {
    return new AuditFixService({
      report,
      latestVersion: (datasetId) => versions.versions(datasetId)[0] ?? null,
      versionNumber: (versionId) => versions.getVersion(versionId).number,
      auditedVersion: (versionId) => versions.contents(versionId),
      changeItems: (...args) => versions.changeItems(...args),
    });
  }

  applyFix(
    auditId: number,
    findingIds: readonly number[],
    choices: AuditFixChoices = {},
  ): AuditFixResult {
    const report = this.deps.report(auditId);
    const byId = new Map(report.findings.map((f) => [f.id, f]));
    const chosen = [...new Set(findingIds)].map((id) => {
      const finding = byId.get(id);
      if (!finding) throw notFound(`Finding ${id} of audit ${auditId}`);
      return finding;
    });
    return this.apply(report, chosen, choices);
  }

  applyAll(
    auditId: number,
    type: AuditFindingType,
    minScore = 0,
    rebalance?: RebalanceChoice,
  ): AuditFixResult {
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
    return this.apply(report, chosen, rebalance ? { rebalance } : {});
  }

  private apply(
    report: AuditReport,
    findings: readonly AuditFinding[],
    choices: AuditFixChoices,
  ): AuditFixResult {
    const { summary } = report;
    if (summary.status !== 'completed') {
      throw new StudioFailure(
        'invalid-input',
        `Audit ${summary.auditId} is ${summary.status}; only a completed audit can be applied.`,
      );
    }
    this.checkCurrent(report);
    const rebalances = findings.some((f) => f.action === 'rebalance');
    const plan = planAuditFix(
      findings,
      choices,
      rebalances ? this.deps.auditedVersion(summary.versionId) : undefined,
    );
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
