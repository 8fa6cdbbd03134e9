import { NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import type { AuditFinding, DatasetKind, RebalanceChoice } from '../../../../../preload/contract';
import { undersampleExclusions } from './auditLabels';

/** The class counts and default target the class-imbalance findings carry as evidence. */
export function rebalanceEvidence(findings: readonly AuditFinding[]): {
  histogram: { label: string; count: number }[];
  undersampleTarget: number | null;
} {
  const withHistogram = findings.find((f) => Array.isArray(f.evidence.histogram));
  const target = withHistogram?.evidence.undersampleTarget;
  return {
    histogram: (withHistogram?.evidence.histogram ?? []) as { label: string; count: number }[],
    undersampleTarget: typeof target === 'number' ? target : null,
  };
}

/**
 * How a class imbalance is fixed: oversample (class-balanced batches with small shifts, nothing
 * removed; images only) or undersample to a target per class, saying how many items that drops.
 */
export function RebalanceChooser({
  findings,
  kind,
  choice,
  onChange,
  disabled,
}: {
  findings: readonly AuditFinding[];
  kind: DatasetKind;
  choice: RebalanceChoice;
  onChange: (next: RebalanceChoice) => void;
  disabled: boolean;
}) {
  const { histogram, undersampleTarget } = rebalanceEvidence(findings);
  // An audit stored before the default target was part of the evidence has none: rather than
  // guess one (1 would drop nearly everything), undersampling waits for a fresh audit.
  const canUndersample = undersampleTarget !== null;
  const target = choice.targetPerClass ?? undersampleTarget ?? 0;
  const dropped = undersampleExclusions(histogram, target);
  return (
    <Stack gap={6} data-testid="audit-rebalance">
      <SegmentedControl
        size="xs"
        w="fit-content"
        disabled={disabled}
        data-testid="audit-rebalance-method"
        value={choice.method}
        onChange={(method) =>
          onChange(
            method === 'undersample'
              ? { method, targetPerClass: target }
              : { method: 'oversample' },
          )
        }
        data={[
          { value: 'oversample', label: 'Oversample', disabled: kind !== 'image' },
          { value: 'undersample', label: 'Undersample', disabled: !canUndersample },
        ]}
      />
      {canUndersample ? null : (
        <Text size="xs" c="dimmed">
          Run the audit again to undersample: this audit predates the suggested target.
        </Text>
      )}
      {choice.method === 'oversample' ? (
        <Text size="xs" c="dimmed" data-testid="audit-rebalance-explain">
          Training batches draw every class equally often, and small random shifts make the repeats
          of a small class differ. No item is removed.
        </Text>
      ) : (
        <>
          <NumberInput
            size="xs"
            w={220}
            label="Items per class at most"
            min={1}
            disabled={disabled}
            data-testid="audit-rebalance-target"
            value={target}
            onChange={(v) => {
              const n = typeof v === 'number' ? v : Number(v);
              if (Number.isInteger(n) && n >= 1)
                onChange({ method: 'undersample', targetPerClass: n });
            }}
          />
          <Text size="xs" c="dimmed" data-testid="audit-rebalance-explain">
            Excludes {dropped} item{dropped === 1 ? '' : 's'}, chosen at random (seeded) from the
            classes larger than {target}; the excluded items can be restored from the history.
          </Text>
        </>
      )}
    </Stack>
  );
}
