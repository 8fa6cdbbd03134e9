import { Badge, Button, Group, Image, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type {
  AuditFinding,
  AuditFindingMember,
  AuditSeverity,
  DatasetKind,
} from '../../../../../preload/contract';
import { useStudio } from '../../../api/StudioContext';
import { isFixable } from './auditLabels';

const SEVERITY_COLOR: Record<AuditSeverity, string> = {
  high: 'red',
  medium: 'orange',
  low: 'yellow',
  info: 'gray',
};

/** Members shown side by side; a cluster larger than this says how many more there are. */
const MAX_MEMBERS = 8;

function fileName(sourcePath: string): string {
  return sourcePath.split(/[\\/]/).slice(-2).join('/');
}

function Member({ member, kind }: { member: AuditFindingMember; kind: DatasetKind }) {
  const { shell } = useStudio();
  return (
    <Stack
      gap={2}
      align="center"
      w={88}
      data-testid="audit-member"
      data-role={member.role}
      data-item-id={member.itemId ?? ''}
      data-source-path={member.sourcePath}
    >
      {kind === 'image' && member.blobSha ? (
        <Image
          src={shell.mediaUrl('thumb', member.blobSha)}
          alt={member.sourcePath}
          w={64}
          h={64}
          fit="contain"
          radius="sm"
          style={{ imageRendering: 'pixelated', background: 'var(--mantine-color-gray-1)' }}
          data-testid="audit-member-thumb"
        />
      ) : null}
      <Text size="xs" fw={600}>
        {member.role}
        {member.label !== null ? ` · ${member.label}` : ''}
      </Text>
      <Text size="xs" c="dimmed" truncate w="100%" ta="center" title={member.sourcePath}>
        {fileName(member.sourcePath)}
      </Text>
    </Stack>
  );
}

export function AuditFindingCard({
  finding,
  kind,
  fixedIn,
  canFix,
  onFix,
}: {
  finding: AuditFinding;
  kind: DatasetKind;
  /** The version number a fix of this finding made, when it was fixed since the audit. */
  fixedIn: number | null;
  /** False while the audit on screen is not of the newest version. */
  canFix: boolean;
  onFix: () => void;
}) {
  const shown = finding.members.slice(0, MAX_MEMBERS);
  const fixable = isFixable(finding);
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="audit-finding"
      data-type={finding.type}
      data-finding-id={finding.id}
      data-fixed={fixedIn !== null}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Badge
              color={SEVERITY_COLOR[finding.severity]}
              variant="light"
              data-testid="audit-severity"
            >
              {finding.severity}
            </Badge>
            <Text size="xs" c="dimmed" data-testid="audit-score">
              score {finding.score.toFixed(2)}
            </Text>
            {finding.suggestedLabel !== null && (
              <Badge variant="outline" tt="none" data-testid="audit-suggested-label">
                {finding.suggestedLabel}
              </Badge>
            )}
          </Group>
          <Text size="sm" data-testid="audit-title">
            {finding.title}
          </Text>
          <Group gap="xs" align="flex-start">
            {shown.map((m, i) => (
              <Member key={`${m.itemId ?? m.sourcePath}-${i}`} member={m} kind={kind} />
            ))}
            {finding.members.length > shown.length && (
              <Text size="xs" c="dimmed">
                and {finding.members.length - shown.length} more
              </Text>
            )}
          </Group>
        </Stack>
        {fixedIn !== null ? (
          <Badge color="green" variant="light" tt="none" data-testid="audit-fixed">
            Fixed in v{fixedIn}
          </Badge>
        ) : fixable ? (
          <Tooltip label="Run the audit again to fix it" disabled={canFix}>
            <Button size="xs" data-testid="audit-fix" disabled={!canFix} onClick={onFix}>
              {finding.action === 'relabel' ? `Relabel as ${finding.suggestedLabel}` : 'Fix'}
            </Button>
          </Tooltip>
        ) : (
          <Text size="xs" c="dimmed">
            {finding.action === 'rebalance' ? 'Rebalance by hand' : 'Review by hand'}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
