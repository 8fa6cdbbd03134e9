import type { AuditCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { keepChoices, type AuditFixService } from './auditFix';
import type { AuditService } from './auditService';

export interface AuditHandlerDeps {
  audit: AuditService;
  auditFixes: AuditFixService;
}

/** The audit calls: running audits, their reports and history, and their one-click fixes. */
export function auditHandlers({
  audit,
  auditFixes,
}: AuditHandlerDeps): Pick<CallHandlers, keyof AuditCalls> {
  return {
    'audit:start': ({ datasetId, versionId }) => audit.start(datasetId, versionId),
    'audit:cancel': ({ auditId }) => audit.cancel(auditId),
    'audit:get': ({ auditId }) => audit.get(auditId),
    'audit:latest': ({ datasetId, versionId }) => audit.latest(datasetId, versionId),
    'audit:history': ({ datasetId }) => audit.history(datasetId),
    'audit:export': ({ auditId, format }) => audit.export(auditId, format),
    'audit:applyFix': ({ auditId, findingIds, rebalance, keep }) =>
      auditFixes.applyFix(auditId, findingIds, {
        ...(rebalance ? { rebalance } : {}),
        ...(keep ? { keep: keepChoices(keep) } : {}),
      }),
    'audit:applyAll': ({ auditId, type, minScore, rebalance }) =>
      auditFixes.applyAll(auditId, type, minScore, rebalance),
  };
}
