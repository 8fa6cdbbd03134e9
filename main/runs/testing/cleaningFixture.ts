import type { AuditReport } from '../../../preload/contract';
import { isFixable } from '../../audit/auditFix';
import type { StudioCore } from '../../core/studioCore';
import {
  buildCleaningFixture,
  type CleaningFixture,
  type CleaningFixtureOptions,
} from '../../../scripts/cleaning-fixture.mjs';

// "What cleaning bought" needs a raw and a cleaned version of one dataset: the fixture folder
// (scripts/cleaning-fixture.mjs) imported as the raw version, audited, and cleaned by the
// studio's own one-click fixes (main/audit/auditFix.ts): every duplicate group keeps one item,
// and the starved class is rebalanced, as a person pressing "Fix" on those findings would.

export const CLEANING_FIXES = ['exact-duplicate', 'near-duplicate', 'class-imbalance'] as const;

export interface CleanedDataset {
  fixture: CleaningFixture;
  datasetId: number;
  raw: number;
  cleaned: number;
  rawAudit: AuditReport;
  cleanedAudit: AuditReport;
  /** The new version's note, e.g. "Audit fix: 118 duplicates excluded, classes balanced …". */
  note: string;
}

async function audited(core: StudioCore, datasetId: number, versionId: number) {
  const started = core.audit.start(datasetId, versionId);
  await core.audit.waitFor(started.auditId);
  const report = core.audit.get(started.auditId);
  if (report.summary.status !== 'completed') {
    throw new Error(`The audit of version ${versionId} ended ${report.summary.status}.`);
  }
  return report;
}

export async function importCleanedFixture(
  core: StudioCore,
  folder: string,
  options: CleaningFixtureOptions = {},
): Promise<CleanedDataset> {
  const fixture = await buildCleaningFixture(folder, options);
  const imported = await core.datasets.importFolder(folder);
  const datasetId = imported.dataset.id;
  const raw = imported.dataset.latestVersionId;
  const rawAudit = await audited(core, datasetId, raw);
  const chosen = rawAudit.findings.filter(
    (f) => (CLEANING_FIXES as readonly string[]).includes(f.type) && isFixable(f),
  );
  if (chosen.length === 0) throw new Error('The audit found nothing to clean in the fixture.');
  const fixed = core.auditFixes.applyFix(
    rawAudit.summary.auditId,
    chosen.map((f) => f.id),
  );
  const cleanedAudit = await audited(core, datasetId, fixed.version.id);
  return {
    fixture,
    datasetId,
    raw,
    cleaned: fixed.version.id,
    rawAudit,
    cleanedAudit,
    note: fixed.note,
  };
}
