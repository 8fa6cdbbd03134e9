import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  RingProgress,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { AuditReport, DatasetKind } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { formatDuration } from '../../../common/format';
import { useVersionDetail } from '../versions/useVersions';
import { AuditFindingCard } from './AuditFindingCard';
import { FINDING_TYPE_NAMES, groupFindings, type FindingGroup } from './auditLabels';
import { useAudit, type AuditState, type LiveAuditProgress } from './useAudit';

/** Findings shown per type before "Show all": a long list of outliers buries the rest. */
const FIRST_SHOWN = 20;

function RunProgress({
  progress,
  onCancel,
}: {
  progress: LiveAuditProgress;
  onCancel: () => void;
}) {
  const share = progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  return (
    <Stack gap={4} data-testid="audit-progress">
      <Group justify="space-between">
        <Text size="sm">
          Auditing: {progress.phase} {progress.done} / {progress.total}
          {progress.perSecond !== null && ` · ${Math.round(progress.perSecond)}/s`}
          {progress.etaSeconds !== null && ` · ${formatDuration(progress.etaSeconds)} left`}
        </Text>
        <Button
          size="xs"
          variant="default"
          color="red"
          onClick={onCancel}
          data-testid="audit-cancel"
        >
          Cancel
        </Button>
      </Group>
      <Progress value={share} animated />
    </Stack>
  );
}

function Summary({ report, currentVersionId }: { report: AuditReport; currentVersionId: number }) {
  const { summary } = report;
  const audited = useVersionDetail(summary.versionId);
  const auditedName = audited.value ? `v${audited.value.number}` : '…';
  const types = groupFindings(report.findings);
  return (
    <Group align="center" gap="lg" data-testid="audit-summary" data-status={summary.status}>
      <RingProgress
        size={84}
        thickness={8}
        sections={[
          { value: summary.score ?? 0, color: (summary.score ?? 0) >= 90 ? 'teal' : 'orange' },
        ]}
        label={
          <Text ta="center" fw={700} data-testid="audit-score-total">
            {summary.score ?? '—'}
          </Text>
        }
      />
      <Stack gap={4} style={{ flex: 1 }}>
        <Text size="sm" data-testid="audit-version" data-version-id={summary.versionId}>
          Audit of {auditedName}: {summary.itemCount} items, {summary.affectedItems} affected
          {summary.durationMs !== null && `, ${(summary.durationMs / 1000).toFixed(1)} s`}
          {summary.status !== 'completed' && ` (${summary.status})`}
        </Text>
        {summary.versionId !== currentVersionId && (
          <Text size="xs" c="orange" data-testid="audit-stale">
            The dataset has changed since; run the audit again to fix more.
          </Text>
        )}
        <Group gap={6}>
          {types.length === 0 && summary.status === 'completed' && (
            <Text size="sm" c="teal">
              Nothing found.
            </Text>
          )}
          {types.map((g) => (
            <Badge
              key={g.type}
              variant="light"
              tt="none"
              data-testid="audit-count"
              data-type={g.type}
            >
              {FINDING_TYPE_NAMES[g.type]}: {summary.counts[g.type] ?? g.findings.length}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Group>
  );
}

function FindingGroupCard({
  group,
  audit,
  kind,
  canFix,
}: {
  group: FindingGroup;
  audit: AuditState;
  kind: DatasetKind;
  canFix: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? group.findings : group.findings.slice(0, FIRST_SHOWN);
  const open = group.findings.filter((f) => !audit.fixed.has(f.id));
  const fixing = audit.pending === 'fix';
  return (
    <Card withBorder data-testid="audit-group" data-type={group.type}>
      <Group justify="space-between" mb="xs">
        <Title order={5}>
          {FINDING_TYPE_NAMES[group.type]} ({group.findings.length})
        </Title>
        {group.fixableCount > 0 && (
          <Button
            size="xs"
            variant="light"
            data-testid="audit-fix-all"
            data-type={group.type}
            disabled={!canFix || open.length === 0 || audit.pending !== null}
            loading={fixing}
            onClick={() => void audit.fixAll(group.type)}
          >
            Apply all ({group.fixableCount})
          </Button>
        )}
      </Group>
      <Stack gap="xs">
        {shown.map((finding) => (
          <AuditFindingCard
            key={finding.id}
            finding={finding}
            kind={kind}
            fixedIn={audit.fixed.get(finding.id) ?? null}
            canFix={canFix && audit.pending === null}
            onFix={() => void audit.fix([finding.id])}
          />
        ))}
        {shown.length < group.findings.length && (
          <Button size="xs" variant="subtle" onClick={() => setShowAll(true)}>
            Show all {group.findings.length}
          </Button>
        )}
      </Stack>
    </Card>
  );
}

/** The Audit tab: run an audit, read the quality summary and evidence, fix in a click. */
export function AuditPanel({
  datasetId,
  kind,
  currentVersionId,
}: {
  datasetId: number;
  kind: DatasetKind;
  currentVersionId: number;
}) {
  const audit = useAudit(datasetId);
  const report = audit.report.value;
  const running = audit.progress !== null;
  const canFix =
    !running &&
    report?.summary.status === 'completed' &&
    report.summary.versionId === currentVersionId;
  return (
    <Stack gap="md" data-testid="audit-panel">
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={4}>Data quality</Title>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                disabled={!report || audit.pending !== null}
                onClick={() => void audit.exportAs('json')}
                data-testid="audit-export-json"
              >
                Export JSON
              </Button>
              <Button
                size="xs"
                variant="default"
                disabled={!report || audit.pending !== null}
                onClick={() => void audit.exportAs('csv')}
                data-testid="audit-export-csv"
              >
                Export CSV
              </Button>
              <Button
                size="xs"
                data-testid="audit-start"
                disabled={running || audit.pending !== null}
                loading={audit.pending === 'start'}
                onClick={() => void audit.start()}
              >
                {report ? 'Run audit again' : 'Run audit'}
              </Button>
            </Group>
          </Group>
          <ErrorAlert
            error={audit.error}
            title="The audit could not do that"
            onClose={audit.dismiss}
          />
          <ErrorAlert
            error={audit.report.error}
            title="Could not load the audit"
            onRetry={audit.report.reload}
          />
          {audit.progress && (
            <RunProgress progress={audit.progress} onCancel={() => void audit.cancel()} />
          )}
          {!report && audit.report.loading && <Loader size="sm" />}
          {!report && !audit.report.loading && !running && (
            <Alert variant="light" data-testid="audit-empty">
              This dataset has not been audited yet. Run the audit to find duplicates, corrupt and
              blank items, outliers, likely label errors and leakage.
            </Alert>
          )}
          {report && <Summary report={report} currentVersionId={currentVersionId} />}
        </Stack>
      </Card>
      {report &&
        groupFindings(report.findings).map((group) => (
          <FindingGroupCard
            key={group.type}
            group={group}
            audit={audit}
            kind={kind}
            canFix={canFix}
          />
        ))}
    </Stack>
  );
}
