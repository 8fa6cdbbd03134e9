import { z } from 'zod';
import type { AuditCalls, AuditFindingType } from '../../preload/contract';
import { id, type CallSchemas } from '../common/calls';

// The argument objects of the audit calls, checked at the boundary before the audit sees them.

// A record, so that a finding type added to the contract must be added here too.
const FINDING_TYPES: Record<AuditFindingType, true> = {
  'exact-duplicate': true,
  'near-duplicate': true,
  corrupt: true,
  blank: true,
  outlier: true,
  'class-imbalance': true,
  missing: true,
  'label-error': true,
  leakage: true,
  'text-length': true,
  'text-boilerplate': true,
  'text-charset': true,
};
const findingType = z.enum(Object.keys(FINDING_TYPES) as [AuditFindingType, ...AuditFindingType[]]);
const rebalanceChoice = z.strictObject({
  method: z.enum(['oversample', 'undersample']),
  targetPerClass: z
    .number()
    .int('The target per class must be a whole number.')
    .min(1, 'Keep at least one item per class.')
    .max(10_000_000)
    .optional(),
});

export const AUDIT_CALL_SCHEMAS: CallSchemas<keyof AuditCalls> = {
  'audit:start': z.strictObject({ datasetId: id, versionId: id.optional() }),
  'audit:cancel': z.strictObject({ auditId: id }),
  'audit:get': z.strictObject({ auditId: id }),
  'audit:latest': z.strictObject({ datasetId: id, versionId: id.optional() }),
  'audit:history': z.strictObject({ datasetId: id }),
  'audit:export': z.strictObject({ auditId: id, format: z.enum(['json', 'csv']) }),
  'audit:applyFix': z.strictObject({
    auditId: id,
    findingIds: z.array(id).min(1, 'Choose at least one finding to fix.').max(100_000),
    rebalance: rebalanceChoice.optional(),
    // JSON object keys are strings: a finding id written as one.
    keep: z
      .record(z.string().regex(/^[1-9]\d*$/), id, {
        error: (issue) =>
          issue.code === 'invalid_key' ? 'Keep choices are finding ids.' : undefined,
      })
      .optional(),
  }),
  'audit:applyAll': z.strictObject({
    auditId: id,
    type: findingType,
    minScore: z.number().min(0).max(1).optional(),
    rebalance: rebalanceChoice.optional(),
  }),
};
