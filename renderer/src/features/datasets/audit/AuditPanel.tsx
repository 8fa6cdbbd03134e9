import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  Progress,
  RingProgress,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { AuditReport, DatasetKind, RebalanceChoice } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { AuditNotices } from './AuditNotices';
import { formatDuration } from '../../../common/format';
import { useVersionDetail } from '../versions/useVersions';
import { AuditFindingCard } from './AuditFindingCard';
import {
  FINDING_TYPE_NAMES,
  groupFindings,
  suggestionsAbove,
  type FindingGroup,
} from './auditLabels';
import { QualityHistory } from './QualityHistory';
import { RebalanceChooser } from './RebalanceChooser';
import { useAudit, type AuditState, type FixChoices, type LiveAuditProgress } from './useAudit';
import { useQualityHistory } from './useQualityHistory';

/** Findings shown per type before "Show all": a long list of outliers buries the rest. */
const FIRST_SHOWN = 20;
/** Where "accept all suggestions scored at least" starts: the confident ones. */
const DEFAULT_ACCEPT_SCORE = 0.8;

/** Accepts every open label suggestion scored at least a threshold, saying how many first. */
function AcceptAbove({
  group,
  audit,
  canFix,
}: {
  group: FindingGroup;
  audit: AuditState;
  canFix: boolean;
}) {
  const [minScore, setMinScore] = useState(DEFAULT_ACCEPT_SCORE);
  const count = suggestionsAbove(group.findings, minScore, audit.fixed).length;
  return (
    <Group gap="xs" align="flex-end" data-testid="audit-accept">
      <NumberInput
        size="xs"
        w={220}
        label="Accept suggestions scored ≥"
        min={0}
        max={1}
        step={0.05}
        decimalScale={2}
        data-testid="audit-accept-min-score"
        value={minScore}
        onChange={(v) => {
          // An emptied box is not "accept everything": keep the last threshold until a number.
          if (v === '') return;
          const n = typeof v === 'number' ? v : Number(v);
          if (Number.isFinite(n)) setMinScore(Math.min(1, Math.max(0, n)));
        }}
      />
      <Button
        size="xs"
        variant="light"
        data-testid="audit-accept-above"
        data-count={count}
        disabled={!canFix || count === 0 || audit.pending !== null}
        onClick={() => void audit.fixAll('label-error', { minScore })}
      >
        Accept {count} suggestion{count === 1 ? '' : 's'}
      </Button>
    </Group>
  );
}

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
          Audit of {auditedName}: {summary.itemCount} items
          {summary.syntheticCount > 0 && (
            <span data-testid="audit-synthetic-count">
              {' '}
              ({summary.syntheticCount} synthetic
              {(summary.syntheticPerClass ?? []).length > 0 &&
                `: ${(summary.syntheticPerClass ?? [])
                  .map((c) => `${c.label ?? 'unlabeled'}: ${c.count}`)
                  .join(', ')}`}
              )
            </span>
          )}
          , {summary.affectedItems} affected
          {summary.durationMs !== null && `, ${(summary.durationMs / 1000).toFixed(1)} s`}
          {summary.status !== 'completed' && ` (${summary.status})`}
        </Text>
        {summary.message !== null && (
          <Text
            size="xs"
            c={summary.status === 'completed' ? 'orange' : 'red'}
            data-testid="audit-message"
          >
            {summary.message}
          </Text>
        )}
        <AuditNotices notices={summary.notices ?? []} />
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
  // Which member of each duplicate group stays (finding id → item id); unset: the suggested one.
  const [keep, setKeep] = useState<Record<number, number>>({});
  const [rebalance, setRebalance] = useState<RebalanceChoice>({
    method: kind === 'image' ? 'oversample' : 'undersample',
  });
  const shown = showAll ? group.findings : group.findings.slice(0, FIRST_SHOWN);
  const open = group.findings.filter((f) => !audit.fixed.has(f.id));
  const fixing = audit.pending === 'fix';
  const rebalances = group.findings.some((f) => f.action === 'rebalance');
  const choices: FixChoices = rebalances ? { rebalance } : { keep };
  const fixAll = () => {
    // Chosen keepers travel with the fix, so apply-all fixes the open groups by finding.
    const ids = open.filter((f) => f.action === 'keep-one').map((f) => f.id);
    const relevant = Object.fromEntries(
      Object.entries(keep).filter(([id]) => ids.includes(Number(id))),
    );
    if (Object.keys(relevant).length > 0) return audit.fix(ids, { keep: relevant });
    return audit.fixAll(group.type, rebalances ? { rebalance } : {});
  };
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
            onClick={() => void fixAll()}
          >
            Apply all ({group.fixableCount})
          </Button>
        )}
      </Group>
      <Stack gap="xs">
        {rebalances && open.some((f) => f.action === 'rebalance') && (
          <RebalanceChooser
            findings={group.findings}
            kind={kind}
            choice={rebalance}
            onChange={setRebalance}
            disabled={!canFix || audit.pending !== null}
          />
        )}
        {group.type === 'label-error' && group.fixableCount > 0 && (
          <AcceptAbove group={group} audit={audit} canFix={canFix} />
        )}
        {shown.map((finding) => (
          <AuditFindingCard
            key={finding.id}
            finding={finding}
            kind={kind}
            fixedIn={audit.fixed.get(finding.id) ?? null}
            canFix={canFix && audit.pending === null}
            choices={choices}
            onKeep={(itemId) => setKeep((prev) => ({ ...prev, [finding.id]: itemId }))}
            onFix={() => {
              const chosen = keep[finding.id];
              void audit.fix(
                [finding.id],
                finding.action === 'rebalance'
                  ? { rebalance }
                  : chosen !== undefined
                    ? { keep: { [finding.id]: chosen } }
                    : {},
              );
            }}
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
  const history = useQualityHistory(datasetId);
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
      {history.value && history.value.length > 0 && (
        <QualityHistory history={history.value} currentVersionId={currentVersionId} />
      )}
      {report &&
        groupFindings(report.findings).map((group) => (
          <FindingGroupCard
            // Per audit: a choice made on the previous audit's findings must not carry over.
            key={`${report.summary.auditId}-${group.type}`}
            group={group}
            audit={audit}
            kind={kind}
            canFix={canFix}
          />
        ))}
    </Stack>
  );
}
