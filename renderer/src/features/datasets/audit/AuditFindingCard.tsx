import { Badge, Button, Group, Image, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type {
  AuditFinding,
  AuditFindingMember,
  AuditSeverity,
  DatasetKind,
} from '../../../../../preload/contract';
import { useStudio } from '../../../api/StudioContext';
import { useItemText } from '../browse/useItemText';
import { isFixable } from './auditLabels';
import type { FixChoices } from './useAudit';

const SEVERITY_COLOR: Record<AuditSeverity, string> = {
  high: 'red',
  medium: 'orange',
  low: 'yellow',
  info: 'gray',
};

/** How sure the audit is of the finding (its reason is in the badge's tooltip). */
const CONFIDENCE_COLOR: Record<AuditFinding['confidence']['level'], string> = {
  high: 'teal',
  medium: 'yellow',
  low: 'gray',
};

/** Members shown side by side; a cluster larger than this says how many more there are. */
const MAX_MEMBERS = 8;

function fileName(sourcePath: string): string {
  return sourcePath.split(/[\\/]/).slice(-2).join('/');
}

/** Characters of a text member shown as evidence: enough to compare two texts at a glance. */
const TEXT_EXCERPT = 240;

/** A text member's opening lines, so the texts of a finding can be read side by side. */
function MemberText({ itemId }: { itemId: number }) {
  const text = useItemText(itemId, TEXT_EXCERPT);
  if (text.value === null) return null;
  return (
    <Text
      size="xs"
      lineClamp={5}
      w="100%"
      p={4}
      bg="var(--mantine-color-gray-0)"
      style={{
        whiteSpace: 'pre-wrap',
        borderRadius: 4,
        fontFamily: 'var(--mantine-font-family-monospace)',
      }}
      data-testid="audit-member-text"
    >
      {text.value.text}
      {text.value.truncated ? '…' : ''}
    </Text>
  );
}

/** For a duplicate group: whether this member stays, and how to make it the one that does. */
interface KeepControl {
  stays: boolean;
  onKeep: (() => void) | null;
}

function Member({
  member,
  kind,
  keep,
}: {
  member: AuditFindingMember;
  kind: DatasetKind;
  keep: KeepControl | null;
}) {
  const { shell } = useStudio();
  return (
    <Stack
      gap={2}
      align="center"
      w={kind === 'text' ? 200 : 88}
      p={2}
      data-testid="audit-member"
      data-role={member.role}
      data-item-id={member.itemId ?? ''}
      data-source-path={member.sourcePath}
      data-synthetic={member.synthetic ? 'true' : undefined}
      data-stays={keep ? keep.stays : undefined}
      style={
        keep?.stays
          ? { outline: '2px solid var(--mantine-color-teal-5)', borderRadius: 4 }
          : undefined
      }
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
      {kind === 'text' && member.itemId !== null ? <MemberText itemId={member.itemId} /> : null}
      <Text size="xs" fw={600}>
        {member.role}
        {member.label !== null ? ` · ${member.label}` : ''}
      </Text>
      <Text size="xs" c="dimmed" truncate w="100%" ta="center" title={member.sourcePath}>
        {fileName(member.sourcePath)}
      </Text>
      {member.synthetic && (
        <Badge size="xs" color="grape" variant="light" tt="none" data-testid="audit-synthetic">
          synthetic
        </Badge>
      )}
      {keep &&
        (keep.stays ? (
          <Badge size="xs" color="teal" variant="light" tt="none" data-testid="audit-stays">
            stays
          </Badge>
        ) : (
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={keep.onKeep === null}
            onClick={keep.onKeep ?? undefined}
            data-testid="audit-keep-this"
          >
            Keep this
          </Button>
        ))}
    </Stack>
  );
}

function fixLabel(finding: AuditFinding, choices: FixChoices): string {
  if (finding.action === 'relabel') return `Relabel as ${finding.suggestedLabel}`;
  if (finding.action === 'keep-one') {
    const others = finding.members.filter((m) => m.itemId !== null).length - 1;
    return `Keep 1, exclude ${others}`;
  }
  if (finding.action === 'rebalance') {
    return choices.rebalance?.method === 'undersample' ? 'Undersample' : 'Oversample';
  }
  return 'Fix';
}

export function AuditFindingCard({
  finding,
  kind,
  fixedIn,
  canFix,
  choices,
  onKeep,
  onFix,
}: {
  finding: AuditFinding;
  kind: DatasetKind;
  /** The version number a fix of this finding made, when it was fixed since the audit. */
  fixedIn: number | null;
  /** False while the audit on screen is not of the newest version. */
  canFix: boolean;
  /** This finding's choices: the duplicate that stays, how to rebalance. */
  choices: FixChoices;
  /** Chooses the member of a duplicate group that stays. */
  onKeep: (itemId: number) => void;
  onFix: () => void;
}) {
  const shown = finding.members.slice(0, MAX_MEMBERS);
  const fixable = isFixable(finding);
  const isGroup = finding.action === 'keep-one' && fixedIn === null;
  const staying =
    choices.keep?.[finding.id] ?? finding.members.find((m) => m.role === 'keep')?.itemId ?? null;
  const remedy = typeof finding.evidence.remedy === 'string' ? finding.evidence.remedy : null;
  const keepControl = (m: AuditFindingMember): KeepControl | null => {
    if (!isGroup || m.itemId === null) return null;
    const itemId = m.itemId;
    return { stays: itemId === staying, onKeep: canFix ? () => onKeep(itemId) : null };
  };
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
            <Tooltip label={finding.confidence.why} multiline w={320}>
              <Badge
                color={CONFIDENCE_COLOR[finding.confidence.level]}
                variant="dot"
                tt="none"
                data-testid="audit-confidence"
                data-level={finding.confidence.level}
              >
                {finding.confidence.level} confidence
              </Badge>
            </Tooltip>
            {finding.suggestedLabel !== null && (
              <Badge variant="outline" tt="none" data-testid="audit-suggested-label">
                {finding.suggestedLabel}
              </Badge>
            )}
          </Group>
          <Text size="sm" data-testid="audit-title">
            {finding.title}
          </Text>
          <Text size="xs" c="dimmed" data-testid="audit-confidence-why">
            {Math.round(finding.confidence.value * 100)}% sure: {finding.confidence.why}
          </Text>
          {remedy && (
            <Text size="xs" c="dimmed" data-testid="audit-remedy">
              Suggested remedy: {remedy}
            </Text>
          )}
          <Group gap="xs" align="flex-start">
            {shown.map((m, i) => (
              <Member
                key={`${m.itemId ?? m.sourcePath}-${i}`}
                member={m}
                kind={kind}
                keep={keepControl(m)}
              />
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
              {fixLabel(finding, choices)}
            </Button>
          </Tooltip>
        ) : (
          <Text size="xs" c="dimmed">
            Review by hand
          </Text>
        )}
      </Group>
    </Paper>
  );
}
